package io.tonearm.pipeline.analysis.source;

import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class InboundDeserializerTest {

    private static final String SHA = "c".repeat(64);

    @Test
    void validEventsBecomeInboundOfTheirTopicsKind() {
        AnalysisRequested r = new AnalysisRequested(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), SHA,
                List.of(new AnalysisRequested.AnalyzerRequest("bpm", null, null)), Instant.now());
        Inbound in = new InboundDeserializer(Inbound.Kind.REQUEST).parse(EventCodec.encode(r));
        assertThat(in.kind()).isEqualTo(Inbound.Kind.REQUEST);
        assertThat(in.sha256()).isEqualTo(SHA);
        assertThat(EventCodec.decodeAnalysisRequested(in.json().getBytes(StandardCharsets.UTF_8))).isEqualTo(r);
    }

    @Test
    void malformedRecordsAreSkippedNotThrown() {
        InboundDeserializer requests = new InboundDeserializer(Inbound.Kind.REQUEST);
        assertThat(requests.parse(null)).isNull();
        assertThat(requests.parse("{not json".getBytes())).isNull();
        assertThat(requests.parse("{\"version\": 99, \"request_id\": \"%s\", \"sha256\": \"%s\"}"
                .formatted(UUID.randomUUID(), SHA).getBytes())).as("a future version").isNull();
        AssetEvent badKey = new AssetEvent(1, UUID.randomUUID(), AssetEvent.Type.CREATED, UUID.randomUUID(),
                UUID.randomUUID(), "NOT-A-SHA", null, null, null, 0, Instant.now());
        assertThat(new InboundDeserializer(Inbound.Kind.ASSET).parse(EventCodec.encode(badKey))).isNull();
    }
}
