package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.tonal.ProgressionSynth.Chord;
import org.junit.jupiter.api.Test;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Uses madmom's test data under {@code ${tonearm.shared.dir}/refdata/madmom} where it means something; skips
 * when the folder is absent. Its {@code dummy.key} and {@code dummy.chords} belong to no recording (PROVENANCE.txt
 * says so), so they serve as annotation-format fixtures: their content is rendered and must be recovered.
 * {@code stereo_sample.wav} is a real piano recording with note annotations, which checks the chroma on real audio.
 */
class ReferenceDataTest {

    private static Path madmom() {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path dir = Path.of(shared, "refdata", "madmom");
        assumeTrue(Files.isDirectory(dir), "no reference data at " + dir);
        return dir;
    }

    @Test
    void recoversTheKeyOfDummyKeyWhenRendered() throws IOException {
        Path file = madmom().resolve("annotations/dummy.key");
        assumeTrue(Files.isRegularFile(file));
        String[] annotation = Files.readString(file).trim().split("\\s+");   // "F# minor"
        int tonic = PitchClass.parse(annotation[0]);
        boolean minor = annotation[1].equalsIgnoreCase("minor");
        var chords = minor ? ProgressionSynth.minorCadences(tonic) : ProgressionSynth.majorCadences(tonic);
        KeyResult r = Analyze.run(new KeyAnalyzer(), ProgressionSynth.render(chords, 440), ProgressionSynth.RATE, 1);
        assertThat(PitchClass.parse(r.key())).isEqualTo(tonic);
        assertThat(r.mode()).isEqualTo(annotation[1].toLowerCase());
    }

    @Test
    void recoversTheChordsOfDummyChordsWhenRendered() throws IOException {
        Path file = madmom().resolve("annotations/dummy.chords");
        assumeTrue(Files.isRegularFile(file));
        List<Chord> truth = new ArrayList<>();
        double at = 0;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.trim().split("\\s+");                      // "0.1 1.0 A:min"
            double start = Double.parseDouble(f[0]), end = Double.parseDouble(f[1]);
            if (start > at) truth.add(Chord.rest(start - at));
            String[] label = f[2].split(":");
            truth.add(label[0].equals("N") ? Chord.rest(end - start)
                    : new Chord(PitchClass.parse(label[0]), label[1].startsWith("min"), end - start));
            at = end;
        }
        ChordsResult r = Analyze.run(new ChordAnalyzer(), ProgressionSynth.render(truth, 440), ProgressionSynth.RATE, 1);
        double accuracy = ChordAnalyzerTest.majminAccuracy(truth, r.chords());
        System.out.printf("dummy.chords rendered: majmin accuracy %.3f, %s%n", accuracy, r.chords());
        assertThat(accuracy).isGreaterThanOrEqualTo(0.85);
    }

    /** Exposes the finished chromagram to the test. */
    private static final class ChromaProbe implements Analyzer<Chroma> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("chroma-probe", 1, "test probe");
        }

        @Override
        public Run<Chroma> start(Params params, RecordingContext recording) {
            Chroma chroma = recording.feature(Chroma.FEATURE);
            return () -> {
                chroma.frames();
                return chroma;
            };
        }
    }

    @Test
    void chromaOfARealPianoRecordingFollowsItsNoteAnnotations() throws Exception {
        Path wav = madmom().resolve("audio/stereo_sample.wav");
        assumeTrue(Files.isRegularFile(wav));
        AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile());
        AudioFormat format = in.getFormat();
        assertThat(format.getSampleSizeInBits()).isEqualTo(16);
        byte[] bytes = in.readAllBytes();
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] pcm = new float[bytes.length / 2];
        for (int i = 0; i < pcm.length; i++) pcm[i] = bb.getShort() / 32768f;
        Chroma chroma = Analyze.run(new ChromaProbe(), pcm, (int) format.getSampleRate(), format.getChannels());
        System.out.printf("stereo_sample.wav: tuning %.1f Hz%n", chroma.tuningFrequency());

        // stereo_sample.notes: C5 alone from 0.147 s to 1.567 s; F5 + C4 + F4 + Ab3 (F minor) from 2.58 s to 2.75 s
        assertThat(strongest(chroma, 0.4, 1.4, 1)).containsExactly(0);
        assertThat(strongest(chroma, 2.60, 2.72, 3)).containsExactlyInAnyOrder(5, 8, 0);
        assertThat(chroma.tuningFrequency()).isBetween(430.0, 450.0);
    }

    /** The {@code n} strongest pitch classes of the summed frames centred in [from, to]. */
    private static List<Integer> strongest(Chroma chroma, double from, double to, int n) {
        double[] sum = new double[12];
        for (int i = 0; i < chroma.frames(); i++) {
            if (chroma.time(i) < from || chroma.time(i) > to) continue;
            for (int pc = 0; pc < 12; pc++) sum[pc] += chroma.value(i, pc);
        }
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
        order.sort((a, b) -> Double.compare(sum[b], sum[a]));
        System.out.printf("chroma %.2f-%.2f s: %s%n", from, to, java.util.Arrays.toString(java.util.Arrays.stream(sum).map(x -> Math.round(x / sum[order.get(0)] * 100) / 100.0).toArray()));
        return order.subList(0, n);
    }
}
