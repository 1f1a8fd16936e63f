package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.features.Spectrum;
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
 * Prints the CPU cost of the rhythm analyzers on 3 minutes of audio (one thread): the runner with only the
 * shared STFT as baseline, then with onsets, bpm and beatgrid added. A report, not a timed assertion.
 */
class RhythmCostTest {

    /** Stands for the other analyzers that share Spectrum.STANDARD (key, chords): the baseline cost. */
    private static final class SpectrumOnly implements Analyzer<String> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("spectrum-only", 1, "baseline");
        }

        @Override
        public Run<String> start(Params params, RecordingContext recording) {
            recording.feature(Spectrum.STANDARD);
            return () -> "";
        }
    }

    @Test
    void threeMinutesCost() {
        float[] audio = new DrumSynth(1).fourFour(123, 180, 0.5, 0.005).audio();
        double seconds = audio.length / (double) DrumSynth.RATE;
        long base = Long.MAX_VALUE, all = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) { // the first round warms up the JIT; keep the fastest
            base = Math.min(base, run(audio, List.of(new SpectrumOnly())));
            all = Math.min(all, run(audio, List.of(new SpectrumOnly(), new OnsetsAnalyzer(), new BpmAnalyzer(), new BeatgridAnalyzer())));
        }
        double rhythm = (all - base) / 1e9;
        System.out.printf("3 min of audio: decode+resample+STFT %.3f s CPU (%.0fx realtime); onsets+bpm+beatgrid add %.3f s (%.0fx realtime)%n",
                base / 1e9, seconds / (base / 1e9), rhythm, seconds / Math.max(1e-3, rhythm));
    }

    private static long run(float[] audio, List<Analyzer<?>> analyzers) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        List<Selection> selections = new ArrayList<>();
        for (Analyzer<?> a : analyzers) selections.add(new Selection(a.spec().name(), a, Params.defaults(a.spec())));
        long start = bean.getCurrentThreadCpuTime();
        AnalysisReport report = Analyze.report(selections, audio, DrumSynth.RATE, 1);
        long cpu = bean.getCurrentThreadCpuTime() - start;
        assertThat(report.failures()).isEmpty();
        return cpu;
    }
}
