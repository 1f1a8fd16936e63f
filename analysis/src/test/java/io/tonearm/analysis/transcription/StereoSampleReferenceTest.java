package io.tonearm.analysis.transcription;

import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * madmom's stereo_sample (a 4 s piano excerpt, 8 annotated notes, CC BY-NC-SA, read from ../shared, never
 * copied). Skipped when the model or the data is absent.
 */
class StereoSampleReferenceTest {

    @Test
    void onsetOnlyFMeasureOnMadmomStereoSample() throws Exception {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path models = Path.of(shared, "models");
        Path data = Path.of(shared, "refdata", "madmom");
        assumeTrue(Files.isRegularFile(models.resolve(Model.BASIC_PITCH.relativePath())), "no Basic Pitch model");
        assumeTrue(Files.isRegularFile(data.resolve("annotations/stereo_sample.notes"))
                && Files.isRegularFile(data.resolve("audio/stereo_sample.wav")), "no madmom stereo_sample");

        float[] pcm;
        int rate, channels;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(data.resolve("audio/stereo_sample.wav").toFile())) {
            AudioFormat f = in.getFormat();
            assumeTrue(f.getSampleSizeInBits() == 16 && !f.isBigEndian(), "unexpected format " + f);
            byte[] bytes = in.readAllBytes();
            pcm = new float[bytes.length / 2];
            for (int i = 0; i < pcm.length; i++) pcm[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8)) / 32768f;
            rate = (int) f.getSampleRate();
            channels = f.getChannels();
        }
        List<double[]> ref = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("annotations/stereo_sample.notes"))) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] c = t.split("\\s+");
            ref.add(new double[]{Double.parseDouble(c[0]), Double.parseDouble(c[1])});
        }

        TranscriptionResult r = Analyze.run(new TranscribeAnalyzer(new ModelStore(models)), pcm, rate, channels);
        List<double[]> est = new ArrayList<>();
        for (TranscribedNote n : r.notes()) est.add(new double[]{n.start(), n.pitch()});
        NoteScores s = NoteScores.score(ref, est);
        System.out.println("madmom stereo_sample (" + ref.size() + " notes), onset ±50 ms, exact pitch: " + s);
        r.notes().forEach(n -> System.out.println("  " + n));

        // measured (v1): F 0.737, P 0.636, R 0.875 — 7 of 8: the soft C4 of the 4-note chord is missed; extra notes
        // are the held C5 re-triggered at the bass entry, a bass F2 re-triggered, and two soft inner notes
        assertThat(s.recall()).as("recall").isGreaterThanOrEqualTo(0.75);
        assertThat(s.f()).as("F").isGreaterThanOrEqualTo(0.7);
    }
}
