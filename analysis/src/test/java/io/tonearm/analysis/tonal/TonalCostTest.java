package io.tonearm.analysis.tonal;

import io.tonearm.analysis.testing.SignalOnlyBaseline;
import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints the CPU time key + chords (with their shared spectrum and chroma) cost on 3 minutes of audio, minus a
 * baseline run that only receives the analysis signal: a measurement, not a timed assertion. Thread CPU time,
 * not wall clock, because parallel builds share this machine's cores.
 */
class TonalCostTest {

    private static float[] threeMinutes() {
        List<ProgressionSynth.Chord> chords = new ArrayList<>();
        for (int i = 0; chords.size() < 72; i++) chords.addAll(ProgressionSynth.majorCadences(i % 12)); // 72 × 2.5 s = 180 s
        return ProgressionSynth.render(chords, 440);
    }

    @Test
    void measuresCostOnThreeMinutes() {
        float[] audio = threeMinutes();
        KeyAnalyzer key = new KeyAnalyzer();
        ChordAnalyzer chordAnalyzer = new ChordAnalyzer();
        List<Selection> tonal = List.of(new Selection("key", key, Params.defaults(key.spec())),
                new Selection("chords", chordAnalyzer, Params.defaults(chordAnalyzer.spec())));
        double seconds = audio.length / (double) ProgressionSynth.RATE;
        long cpu = cpuOver(tonal, audio, 3);
        System.out.printf("key + chords (spectrum 4096/2048, chroma, both analyzers) on %.0f s of audio: %.0f ms CPU, %.0f× realtime%n",
                seconds, cpu / 1e6, seconds / (cpu / 1e9));
    }

    @Test
    void measuresKeyNetCostOnThreeMinutes() {
        String shared = System.getProperty("tonearm.shared.dir");
        java.nio.file.Path models = shared == null ? null : java.nio.file.Path.of(shared, "models");
        org.junit.jupiter.api.Assumptions.assumeTrue(models != null
                && java.nio.file.Files.isRegularFile(models.resolve(KeyNetAnalyzer.MODEL_FILE)), "no KeyNet model");
        float[] audio = threeMinutes();
        KeyNetAnalyzer keynet = new KeyNetAnalyzer(models);
        long cpu = cpuOver(List.of(new Selection("key-keynet", keynet, Params.defaults(keynet.spec()))), audio, 2);
        double seconds = audio.length / (double) ProgressionSynth.RATE;
        System.out.printf("key-keynet (CQT, chroma for tuning, ONNX) on %.0f s of audio: %.0f ms CPU of this thread, %.0f× realtime%n",
                seconds, cpu / 1e6, seconds / (cpu / 1e9));
    }

    /** Least CPU time over a few rounds of the selections, minus a run that only receives the analysis signal. */
    private static long cpuOver(List<Selection> tonal, float[] audio, int rounds) {
        SignalOnlyBaseline baseline = new SignalOnlyBaseline();
        List<Selection> signalOnly = List.of(new Selection("baseline", baseline, Params.defaults(baseline.spec())));
        long best = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {            // the first rounds warm up the JIT
            long t0 = cpu();
            AnalysisReport report = Analyze.report(tonal, audio, ProgressionSynth.RATE, 1);
            long t1 = cpu();
            Analyze.report(signalOnly, audio, ProgressionSynth.RATE, 1);
            long t2 = cpu();
            assertThat(report.failures()).isEmpty();
            best = Math.min(best, (t1 - t0) - (t2 - t1));
        }
        return best;
    }

    private static long cpu() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return bean.getCurrentThreadCpuTime();
    }
}
