package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * madmom's annotated sample (2.8 s, guitar-like plucks): beats at 87.5 BPM, onsets, tempo "87.5 175 0.7".
 * madmom itself, on this file (its own test expectations): DBN beats at the double tempo, 4 of 8 on the
 * annotations, beat F(70 ms) = 0.667; tempo 176.47 (0.8 % from the annotation's second tempo, 175);
 * SuperFlux onsets F(50 ms) = 0.903 (14 of 16 detections on 15 annotations); madmom's comb tempo estimator
 * ranks 117.65 (2/3 of 176) second.
 *
 * <p>Measured here (v1): onsets F = 1.000 (15 of 15); tempo 117.45 — the 2/3 relation, since the loudest
 * strums of this 4-beat clip fall on a 0.51 s grid — with 89.10 (1.8 % from 87.5) and 176.14 among the
 * alternatives; beat F = 0.400 on the 117 grid. The tempo and beat floors are therefore below madmom's:
 * an annotated tempo must be among the top three candidates, beat F ≥ 0.35.
 */
class MadmomReferenceTest {

    private static Path dir;
    static float[] audio;
    static int rate;

    @BeforeAll
    static void load() throws Exception {
        String shared = System.getProperty("tonearm.shared.dir");
        dir = shared == null ? null : Path.of(shared, "refdata", "madmom");
        if (audio != null) return;
        if (dir == null || !Files.isRegularFile(dir.resolve("audio/sample.wav"))) return;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(dir.resolve("audio/sample.wav").toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleSizeInBits() != 16 || f.getChannels() != 1 || f.isBigEndian()) throw new IllegalStateException("unexpected " + f);
            byte[] bytes = in.readAllBytes();
            audio = new float[bytes.length / 2];
            for (int i = 0; i < audio.length; i++) audio[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8)) / 32768f;
            rate = (int) f.getSampleRate();
        }
    }

    static List<Double> column(String file) throws IOException {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("annotations").resolve(file))) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            out.add(Double.parseDouble(t.split("\\s+")[0]));
        }
        return out;
    }

    @Test
    void beatsAndTempo() throws IOException {
        assumeTrue(audio != null, "madmom reference data absent");
        List<Double> truth = column("sample.beats");
        List<Double> tempi = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("annotations/sample.tempo"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] p = line.trim().split("\\s+");
            tempi.add(Double.parseDouble(p[0]));
            tempi.add(Double.parseDouble(p[1]));
        }
        BeatgridAnalyzer.Result grid = Analyze.run(new BeatgridAnalyzer(), audio, rate, 1);
        BpmAnalyzer.Result bpm = Analyze.run(new BpmAnalyzer(), audio, rate, 1);
        double f = EventScores.fMeasure(truth, grid.beats(), 0.07);
        double error = error(bpm.tempo(), tempi);
        double bestOfThree = error;
        for (int i = 0; i < Math.min(2, bpm.alternatives().size()); i++) {
            bestOfThree = Math.min(bestOfThree, error(bpm.alternatives().get(i).tempo(), tempi));
        }
        System.out.printf("madmom sample: bpm %.2f (annotated %s, error to nearer %.1f %%, best of top 3 %.1f %%), beat F(70 ms) %.3f%n"
                + "  %s%n  beats %s%n", bpm.tempo(), tempi, 100 * error, 100 * bestOfThree, f, bpm, grid.beats());
        assertThat(bestOfThree).as("an annotated tempo among the top three candidates, within 4 %").isLessThan(0.04);
        assertThat(f).as("beat F-measure; madmom's DBN gets 0.667, we measured 0.400").isGreaterThanOrEqualTo(0.35);
    }

    private static double error(double tempo, List<Double> annotated) {
        double e = Double.MAX_VALUE;
        for (double t : annotated) e = Math.min(e, Math.abs(tempo / t - 1));
        return e;
    }

    @Test
    void onsets() throws IOException {
        assumeTrue(audio != null, "madmom reference data absent");
        List<Double> truth = column("sample.onsets");
        OnsetsAnalyzer.Result r = Analyze.run(new OnsetsAnalyzer(), audio, rate, 1);
        double f = EventScores.fMeasure(truth, r.onsets(), 0.05);
        System.out.printf("madmom sample: onsets F(50 ms) %.3f, %d found of %d; %s%n", f, r.count(), truth.size(), r.onsets());
        assertThat(f).as("onset F-measure; madmom's SuperFlux gets 0.903, we measured 1.000").isGreaterThanOrEqualTo(0.8);
    }
}
