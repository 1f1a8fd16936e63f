package io.tonearm.pipeline.catalog.ingest;

import io.tonearm.events.IngestOutcome;

/**
 * One record of the ingest topic as read, before parsing: parsing happens downstream so that a malformed command
 * becomes a {@code malformed} outcome instead of an exception in the source. A plain record: no Kryo.
 */
public record CommandRecord(String topic, int partition, long offset, byte[] value) {

    public IngestOutcome.SourcePosition position() {
        return new IngestOutcome.SourcePosition(topic, partition, offset);
    }
}
