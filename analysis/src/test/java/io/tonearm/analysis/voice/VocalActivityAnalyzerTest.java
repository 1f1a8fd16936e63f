package io.tonearm.analysis.voice;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.testing.DecodedAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Voice activity on known material. Speech comes from the espeak-ng formant synthesizer when it is installed (the
 * only speech source on a machine without a corpus), placed alone, over rendered music and around music-only and
 * silent stretches; the truth is where the spoken signal itself has energy. Model tests skip without
 * ../shared/models or espeak-ng.
 */
class VocalActivityAnalyzerTest {

    private static final int RATE = 22050;

    private static ModelStore models() {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path dir = Path.of(shared, "models");
        assumeTrue(Files.isRegularFile(dir.resolve(Model.SILERO_VAD.relativePath())), "no " + Model.SILERO_VAD.relativePath());
        return new ModelStore(dir);
    }

    private static float[] speak(Path dir, String text) throws Exception {
        Path wav = dir.resolve("speech-" + Math.abs(text.hashCode()) + ".wav");
        Process p;
        try {
            p = new ProcessBuilder("espeak-ng", "-v", "en", "-s", "150", "-w", wav.toString(), text).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "espeak-ng is not installed");
            return null;
        }
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "espeak-ng failed");
        DecodedAudio audio = DecodedAudio.of(wav);
        assertThat(audio.sampleRate()).isEqualTo(RATE);
        return audio.samples();
    }

    /** Chords with 8 harmonics and a kick/hat pulse: music with no voice. */
    private static void music(float[] out, int from, int length, long seed) {
        Random random = new Random(seed);
        int[][] chords = {{48, 60, 64, 67}, {45, 57, 60, 64}, {41, 53, 57, 60}, {43, 55, 59, 62}};
        int chordLength = RATE * 2;
        for (int c = 0; c * chordLength < length; c++) {
            for (int midi : chords[c % 4]) {
                double f0 = 440 * Math.pow(2, (midi - 69) / 12.0);
                for (int k = 1; k <= 8; k++) {
                    double phase = random.nextDouble() * 6.283, w = 2 * Math.PI * f0 * k / RATE, a = 0.05 / k;
                    for (int i = 0; i < chordLength && c * chordLength + i < length; i++) {
                        out[from + c * chordLength + i] += (float) (a * Math.exp(-i / (1.2 * RATE)) * Math.sin(phase + w * i));
                    }
                }
            }
        }
        for (int beat = 0; beat * RATE / 2 < length; beat++) {
            int at = from + beat * RATE / 2;
            for (int i = 0; i < RATE / 10 && at + i < from + length; i++) {
                out[at + i] += (float) (0.3 * Math.exp(-40.0 * i / RATE) * (beat % 2 == 0 ? Math.sin(2 * Math.PI * 60 * i / RATE) : random.nextGaussian() * 0.3));
            }
        }
    }

    /** Frames of 10 ms where the speech signal is within 40 dB of its loudest 50 ms, gaps under 300 ms bridged. */
    private static boolean[] speechTruth(float[] speech, int at, boolean[] truth) {
        int frame = RATE / 100;
        int n = speech.length / frame;
        double[] energy = new double[n];
        double max = 0;
        for (int f = 0; f < n; f++) {
            for (int i = 0; i < frame; i++) energy[f] += speech[f * frame + i] * (double) speech[f * frame + i];
            max = Math.max(max, energy[f]);
        }
        int last = -1000;
        for (int f = 0; f < n; f++) {
            if (energy[f] < max * 1e-4) continue;
            if (f - last < 30) for (int g = last + 1; g < f; g++) truth[at / frame + g] = true;
            truth[at / frame + f] = true;
            last = f;
        }
        return truth;
    }

    @Test
    void speechAloneOverMusicAndNotInMusicOrSilence(@TempDir Path dir) throws Exception {
        ModelStore models = models();
        float[] s1 = speak(dir, "The quick brown fox jumps over the lazy dog. Tonearm analyzes whole music catalogs.");
        float[] s2 = speak(dir, "Ladies and gentlemen, please welcome tonight's band. This next song is about the sea.");
        float[] s3 = speak(dir, "Recorded live in Berlin, nineteen seventy seven.");
        // 3 s silence | s1 | 2 s silence | 12 s music | s2 over music | 6 s music | s3 | 4 s silence
        int silence1 = 3 * RATE, gap = 2 * RATE, musicOnly = 12 * RATE, tail = 6 * RATE, end = 4 * RATE;
        int total = silence1 + s1.length + gap + musicOnly + s2.length + tail + s3.length + end;
        float[] mix = new float[total];
        boolean[] truth = new boolean[total / (RATE / 100) + 1];
        int at = silence1;
        add(mix, s1, at, 0.5f);
        speechTruth(s1, at, truth);
        at += s1.length + gap;
        int musicStart = at;
        music(mix, musicStart, musicOnly + s2.length + tail, 3);
        at += musicOnly;
        add(mix, s2, at, 0.5f);
        speechTruth(s2, at, truth);
        at += s2.length + tail;
        add(mix, s3, at, 0.5f);
        speechTruth(s3, at, truth);

        long t0 = System.nanoTime();
        VocalActivityResult result = Analyze.run(new VocalActivityAnalyzer(models), mix, RATE, 1);
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.printf("vocal-activity: %.1f s in %.2f s wall (incl. session creation), %.0f× real time%n",
                total / (double) RATE, wall, total / (double) RATE / wall);
        System.out.println("regions " + result.regions() + ", ratio " + result.vocalRatio());

        boolean[] found = new boolean[truth.length];
        for (VocalRegion r : result.regions()) {
            for (int f = (int) Math.round(r.start() * 100); f < Math.min(found.length, Math.round(r.end() * 100)); f++) found[f] = true;
        }
        int tp = 0, fp = 0, fn = 0, musicFalse = 0;
        for (int f = 0; f < truth.length; f++) {
            if (truth[f] && found[f]) tp++;
            else if (found[f]) fp++;
            else if (truth[f]) fn++;
            if (found[f] && !truth[f] && f >= musicStart / (RATE / 100) && f < (musicStart + musicOnly) / (RATE / 100)) musicFalse++;
        }
        double precision = tp / (double) Math.max(1, tp + fp), recall = tp / (double) Math.max(1, tp + fn);
        double f1 = 2 * precision * recall / Math.max(1e-9, precision + recall);
        System.out.printf("speech frames (10 ms): F %.3f (P %.3f, R %.3f); false voice in 12 s of music alone: %.2f s%n",
                f1, precision, recall, musicFalse / 100.0);
        assertThat(f1).isGreaterThan(0.8);
        assertThat(musicFalse / 100.0).isLessThan(1.0);
    }

    private static void add(float[] mix, float[] x, int at, float gain) {
        for (int i = 0; i < x.length; i++) mix[at + i] += gain * x[i];
    }

    @Test
    void silenceHasNoRegions() {
        ModelStore models = models();
        VocalActivityResult result = Analyze.run(new VocalActivityAnalyzer(models), new float[10 * RATE], RATE, 1);
        assertThat(result.regions()).isEmpty();
        assertThat(result.vocalRatio()).isZero();
    }

    @Test
    void withoutTheModelFailsNamingTheFile(@TempDir Path empty) {
        VocalActivityAnalyzer analyzer = new VocalActivityAnalyzer(new ModelStore(empty));
        AnalysisReport report = Analyze.report(List.of(new Selection("vocal-activity", analyzer, Params.defaults(analyzer.spec()))),
                new float[RATE], RATE, 1);
        assertThat(report.results()).doesNotContainKey("vocal-activity");
        assertThat(report.failures().get("vocal-activity").message()).contains("silero-vad/silero_vad.onnx");
    }

    @Test
    void registeredAndSerializedWithTheContractNames() throws Exception {
        assertThat(StandardAnalyzers.registry().select("vad", java.util.Map.of()).analyzer()).isInstanceOf(VocalActivityAnalyzer.class);
        assertThat(Json.mapper().writeValueAsString(new VocalActivityResult(List.of(new VocalRegion(1.5, 3.25)), 0.4)))
                .isEqualTo("{\"regions\":[{\"start\":1.5,\"end\":3.25}],\"vocal_ratio\":0.4}");
    }
}
