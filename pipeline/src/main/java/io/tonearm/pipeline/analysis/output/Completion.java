package io.tonearm.pipeline.analysis.output;

import io.tonearm.events.AnalysisCompleted;
import io.tonearm.events.EventCodec;

/** An {@link AnalysisCompleted} in wire form, keyed by recording: a plain record so Flink needs no Kryo. */
public record Completion(String sha256, String json) {

    public static Completion of(AnalysisCompleted event) {
        return new Completion(event.sha256(), EventCodec.encodeToString(event));
    }
}
