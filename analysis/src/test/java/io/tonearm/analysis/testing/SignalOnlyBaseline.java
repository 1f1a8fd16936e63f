package io.tonearm.analysis.testing;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;

/**
 * Receives the analysis signal and does nothing: the decode + downmix baseline that cost probes subtract, so an
 * analyzer's figure is its own work.
 */
public final class SignalOnlyBaseline implements Analyzer<Long> {

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
