package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** beatgrid with method=beatnet; skipped when ${tonearm.shared.dir}/models/beatnet is absent. */
class BeatNetBeatgridTest {

    private static String previous;
    private static boolean available;

    @BeforeAll
    static void configure() {
        String shared = System.getProperty("tonearm.shared.dir");
        Path models = shared == null ? null : Path.of(shared, "models");
        available = models != null && Files.isRegularFile(models.resolve("beatnet/beatnet-model1.onnx"));
        previous = System.getProperty(BeatNetModel.DIR_PROPERTY);
        if (available && previous == null) System.setProperty(BeatNetModel.DIR_PROPERTY, models.toString());
    }

    @AfterAll
    static void restore() {
        if (previous == null) System.clearProperty(BeatNetModel.DIR_PROPERTY);
    }

    @Test
    void tracksDrumPatternsOnNetworkActivations() {
        assumeTrue(available, "BeatNet model absent");
        BeatgridAnalyzer analyzer = new BeatgridAnalyzer();
        StringBuilder table = new StringBuilder("beatgrid method=beatnet (bpm: beat F, downbeat F, meter, tempo)\n");
        int good = 0;
        double[] tempi = {70, 120, 174};
        for (double bpm : tempi) {
            DrumSynth.Pattern p = new DrumSynth((long) bpm).fourFour(bpm, 16, 0.5, 0);
            BeatgridAnalyzer.Result r = Analyze.run(analyzer, Map.of("method", "beatnet"), p.audio(), DrumSynth.RATE, 1);
            double f = EventScores.fMeasure(p.beats(), r.beats(), 0.07);
            double fd = EventScores.fMeasure(p.downbeats(), r.downbeats(), 0.07);
            table.append(String.format("  %5.0f: %.3f  %.3f  %s  %s%n", bpm, f, fd, r.timeSignature(), r.tempo()));
            if (f >= 0.9) good++;
        }
        System.out.print(table);
        // measured (24 s patterns at 70, 100, 120, 140, 174): 70 BPM tracked at 140 (F 0.667), the others F >= 0.986
        assertThat(good).as("patterns with beat F >= 0.9").isGreaterThanOrEqualTo(tempi.length - 1);
    }

    @Test
    void madmomSample() throws Exception {
        assumeTrue(available, "BeatNet model absent");
        MadmomReferenceTest.load();
        assumeTrue(MadmomReferenceTest.audio != null, "madmom reference data absent");
        BeatgridAnalyzer.Result r = Analyze.run(new BeatgridAnalyzer(), Map.of("method", "beatnet"), MadmomReferenceTest.audio,
                MadmomReferenceTest.rate, 1);
        double f = EventScores.fMeasure(MadmomReferenceTest.column("sample.beats"), r.beats(), 0.07);
        System.out.printf("madmom sample, method=beatnet: beat F(70 ms) %.3f, tempo %s, beats %s%n", f, r.tempo(), r.beats());
        assertThat(f).as("measured 0.615 (tempo 176.47, as madmom's); madmom's DBN gets 0.667").isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void threeMinutesCost() {
        assumeTrue(available, "BeatNet model absent");
        float[] audio = new DrumSynth(1).fourFour(123, 180, 0.5, 0.005).audio();
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 1; i++) {
            long start = bean.getCurrentThreadCpuTime();
            Analyze.run(new BeatgridAnalyzer(), Map.of("method", "beatnet"), audio, DrumSynth.RATE, 1);
            best = Math.min(best, bean.getCurrentThreadCpuTime() - start);
        }
        System.out.printf("beatgrid method=beatnet on 3 min, decode and resampling included: %.2f s CPU (%.0fx realtime)%n",
                best / 1e9, 180 / (best / 1e9));
    }

    @Test
    void failsClearlyWithoutAModel() {
        assumeTrue(available, "BeatNet model absent");
        String dir = System.getProperty(BeatNetModel.DIR_PROPERTY);
        System.setProperty(BeatNetModel.DIR_PROPERTY, "/nonexistent");
        try {
            BeatgridAnalyzer analyzer = new BeatgridAnalyzer();
            var report = Analyze.report(java.util.List.of(new io.tonearm.analysis.registry.Selection("beatgrid", analyzer,
                    io.tonearm.analysis.Params.of(analyzer.spec(), Map.of("method", "beatnet")))), new float[DrumSynth.RATE], DrumSynth.RATE, 1);
            assertThat(report.failures().toString()).contains("BeatNet model not found");
        } finally {
            System.setProperty(BeatNetModel.DIR_PROPERTY, dir);
        }
    }
}
