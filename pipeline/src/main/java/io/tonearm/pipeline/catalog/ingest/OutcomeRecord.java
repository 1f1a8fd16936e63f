package io.tonearm.pipeline.catalog.ingest;

import io.tonearm.events.EventCodec;
import io.tonearm.events.IngestOutcome;

/** An {@link IngestOutcome} in wire form with its record key: a plain record so Flink needs no Kryo. */
public record OutcomeRecord(String key, String json) {

    public static OutcomeRecord of(IngestOutcome o) {
        return new OutcomeRecord(o.key(), EventCodec.encodeToString(o));
    }
}
