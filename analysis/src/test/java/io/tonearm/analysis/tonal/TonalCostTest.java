package io.tonearm.analysis.tonal;

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

    /** Receives the analysis signal and does nothing: the decode + downmix baseline. */
    private static final class Baseline implements Analyzer<Long> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("baseline", 1, "test probe");
        }

        @Override
        public Run<Long> start(Params params, RecordingContext recording) {
            long[] n = new long[1];
            recording.onAnalysisSignal((SampleListener) (samples, offset, count) -> n[0] += count);
            return () -> n[0];
        }
    }

    @Test
    void measuresCostOnThreeMinutes() {
        List<ProgressionSynth.Chord> chords = new ArrayList<>();
        for (int i = 0; chords.size() < 72; i++) chords.addAll(ProgressionSynth.majorCadences(i % 12)); // 72 × 2.5 s = 180 s
        float[] audio = ProgressionSynth.render(chords, 440);
        KeyAnalyzer key = new KeyAnalyzer();
        ChordAnalyzer chordAnalyzer = new ChordAnalyzer();
        Baseline baseline = new Baseline();
        List<Selection> tonal = List.of(new Selection("key", key, Params.defaults(key.spec())),
                new Selection("chords", chordAnalyzer, Params.defaults(chordAnalyzer.spec())));
        List<Selection> signalOnly = List.of(new Selection("baseline", baseline, Params.defaults(baseline.spec())));
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 4; round++) {                 // the first rounds warm up the JIT
            long t0 = cpu();
            AnalysisReport report = Analyze.report(tonal, audio, ProgressionSynth.RATE, 1);
            long t1 = cpu();
            Analyze.report(signalOnly, audio, ProgressionSynth.RATE, 1);
            long t2 = cpu();
            assertThat(report.failures()).isEmpty();
            best = Math.min(best, (t1 - t0) - (t2 - t1));
        }
        double seconds = audio.length / (double) ProgressionSynth.RATE;
        System.out.printf("key + chords (spectrum 4096/2048, chroma, both analyzers) on %.0f s of audio: %.0f ms CPU, %.0f× realtime%n",
                seconds, best / 1e6, seconds / (best / 1e9));
    }

    private static long cpu() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return bean.getCurrentThreadCpuTime();
    }
}
