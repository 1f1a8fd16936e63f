package io.tonearm.analysis.pitch;

import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real piano recording with MIDI annotations: madmom's {@code stereo_sample.wav} (44.1 kHz stereo, CC BY-NC-SA,
 * read from ../shared, never copied). Its first note, MIDI 72 (C5) from 0.147 s, sounds alone until 1.567 s;
 * MIDI 77 (F5) from 2.526 s is the top, loudest note over a decaying C5. Skipped when ../shared is absent.
 */
class RecordedPianoPitchTest {

    private static Path wav;
    private static Path models;

    @BeforeAll
    static void locate() {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        wav = Path.of(shared, "refdata", "madmom", "audio", "stereo_sample.wav");
        models = Path.of(shared, "models");
        assumeTrue(Files.isRegularFile(wav), "no " + wav);
    }

    @Test
    void yinFollowsTheAnnotatedTopNotes() throws Exception {
        PitchResult r = Analyze.run(new PitchAnalyzer(new ModelStore(null)), Map.of(), samples(), 44100, 2);

        assertThat(shareWithin(r, 0.25, 1.0, 72)).as("C5 alone").isGreaterThanOrEqualTo(0.9);
        assertThat(shareWithin(r, 2.6, 2.9, 77)).as("F5 over C5").isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void crepeFollowsTheSoloNote() throws Exception {
        assumeTrue(Files.isRegularFile(models.resolve(Model.CREPE_TINY.relativePath())), "no crepe-tiny model");
        PitchResult r = Analyze.run(new PitchAnalyzer(new ModelStore(models)), Map.of("method", "crepe"), samples(), 44100, 2);

        assertThat(shareWithin(r, 0.25, 1.0, 72)).as("C5 alone").isGreaterThanOrEqualTo(0.9);
    }

    /** Share of the points in [from, to] s that are voiced and within 50 cents of the MIDI note. */
    private static double shareWithin(PitchResult r, double from, double to, int midi) {
        int n = 0, hit = 0;
        for (ContourPoint p : r.contour()) {
            if (p.t() < from || p.t() > to) continue;
            n++;
            if (p.voiced() && Math.abs(NoteNames.cents(p.f0Hz(), NoteNames.hz(midi))) <= 50) hit++;
        }
        assertThat(n).isPositive();
        return hit / (double) n;
    }

    private static float[] samples() throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat format = in.getFormat();
            assertThat(format.getSampleSizeInBits()).isEqualTo(16);
            assertThat(format.getChannels()).isEqualTo(2);
            ShortBuffer pcm = ByteBuffer.wrap(in.readAllBytes())
                    .order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            float[] out = new float[pcm.remaining()];
            for (int i = 0; i < out.length; i++) out[i] = pcm.get(i) / 32768f;
            return out;
        }
    }
}
