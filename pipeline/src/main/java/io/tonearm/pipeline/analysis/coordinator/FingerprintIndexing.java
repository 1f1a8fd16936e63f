package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.registry.UnknownModelException;
import io.tonearm.sinks.postgres.fingerprint.RecordingLandmarks;

import java.util.Map;
import java.util.Optional;

/**
 * Every recording the job decodes is also fingerprinted (the {@code fingerprint} analyzer with its indexing
 * parameters, one frame grid) and its landmarks indexed, so identification and near-duplicate flagging cover the
 * whole analyzed catalog. It rides on a decode that happens anyway and costs little beside it (docs/analysis.md).
 * The landmarks go to the index (packed in {@code fingerprint_recordings}) rather than into the result row, which
 * keeps only the counts: the index is where they are read from.
 */
final class FingerprintIndexing {

    static final String ANALYZER = io.tonearm.analysis.fingerprint.FingerprintAnalyzer.NAME;

    private FingerprintIndexing() {
    }

    /** The indexing form of the fingerprint, when this job's registry has the analyzer. */
    static Optional<Selection> selection(AnalyzerRegistry registry) {
        try {
            return Optional.of(registry.select(ANALYZER, Map.of()));
        } catch (UnknownModelException e) {
            return Optional.empty();
        }
    }

    /** True when {@code s} computes the landmarks the index holds (not a query form with other parameters). */
    static boolean indexes(Selection s, AnalyzerRegistry registry) {
        return s.analyzer().spec().name().equals(ANALYZER)
                && selection(registry).map(i -> i.params().hash().equals(s.params().hash())
                && i.analyzer().spec().version() == s.analyzer().spec().version()).orElse(false);
    }

    static RecordingLandmarks landmarks(String sha256, Envelope e) {
        return RecordingLandmarks.of(sha256, e);
    }

    static Envelope withoutLandmarks(Envelope e) {
        return RecordingLandmarks.withoutLandmarks(e);
    }
}
