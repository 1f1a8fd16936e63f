package io.tonearm.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestCodecTest {

    private static final String ACCOUNT = "6f1c2f4e-8a7b-4c1d-9e2f-0a1b2c3d4e5f";

    private static IngestCommand command(String json) {
        return EventCodec.decodeIngestCommand(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDocumentedCommandDecodesAndIsWellFormed() {
        IngestCommand c = command("""
                {"version":1,"account_id":"%s","uri":"file:///srv/catalog/a.wav","filename":"a.wav",
                 "metadata":{"title":"Song","artist":"Band","isrc":"us-rc1-76-07839","bpm_hint":120,"explicit":false},
                 "idempotency_key":"label-42:a","added_later":true}""".formatted(ACCOUNT));

        assertThat(c.problem()).isNull();
        assertThat(c.source()).isEqualTo("file:///srv/catalog/a.wav");
        assertThat(c.isUrl()).isFalse();
        assertThat(AssetMetadata.normalised(c.metadata())).containsEntry("isrc", "USRC17607839").containsEntry("bpm_hint", 120);
    }

    @Test
    void eachMalformedCommandHasAReason() {
        String ok = "\"version\":1,\"account_id\":\"" + ACCOUNT + "\",\"idempotency_key\":\"k\"";
        assertThat(command("{" + ok + "}").problem()).contains("exactly one of uri and url", "neither");
        assertThat(command("{" + ok + ",\"uri\":\"file:/a\",\"url\":\"https://x/a\"}").problem()).contains("not both");
        assertThat(command("{\"version\":1,\"uri\":\"file:/a\",\"idempotency_key\":\"k\"}").problem()).isEqualTo("account_id is missing");
        assertThat(command("{\"version\":1,\"account_id\":\"42\",\"uri\":\"file:/a\",\"idempotency_key\":\"k\"}").problem())
                .isEqualTo("account_id is not a UUID");
        assertThat(command("{\"version\":1,\"account_id\":\"" + ACCOUNT + "\",\"uri\":\"file:/a\"}").problem())
                .isEqualTo("idempotency_key is missing");
        assertThat(command("{\"version\":2," + ok.substring(ok.indexOf(',') + 1) + ",\"uri\":\"file:/a\"}").problem())
                .contains("version 2");
        assertThat(command("{" + ok + ",\"uri\":\"file:/a\",\"metadata\":{\"isrc\":\"nope\"}}").problem()).contains("isrc");
        assertThat(command("{" + ok + ",\"uri\":\"file:/a\",\"metadata\":{\"nested\":{\"a\":1}}}").problem())
                .contains("'nested'");
        assertThatThrownBy(() -> command("{not json")).hasMessageContaining("IngestCommand");
        assertThatThrownBy(() -> command("[1,2]")).hasMessageContaining("IngestCommand");
    }

    @Test
    void outcomesRoundTripAndAreToldApartFromCompletionsOnTheResultsTopic() {
        IngestOutcome registered = IngestOutcome.done(IngestOutcome.REGISTERED, "k", ACCOUNT, UUID.randomUUID().toString(),
                "ab".repeat(32), UUID.randomUUID().toString());
        IngestOutcome malformed = IngestOutcome.malformed(null, null, "not JSON",
                new IngestOutcome.SourcePosition(Topics.INGEST, 1, 17));

        String json = EventCodec.encodeToString(malformed);
        assertThat(json).contains("\"type\":\"ingest_outcome\"", "\"status\":\"malformed\"",
                "\"source\":{\"topic\":\"tonearm.ingest.v1\",\"partition\":1,\"offset\":17}", "\"idempotency_key\":null",
                "\"error\":{\"code\":\"malformed_command\",\"message\":\"not JSON\"}");
        assertThat(EventCodec.decodeIngestOutcome(EventCodec.encode(registered))).isEqualTo(registered);
        assertThat(EventCodec.decodeIngestOutcome(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(malformed);
        assertThat(malformed.key()).isEqualTo("tonearm.ingest.v1-1@17");
        assertThat(registered.key()).isEqualTo("k");

        AnalysisCompleted completed = new AnalysisCompleted(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), "ab".repeat(32), "succeeded", null, Map.of(), Instant.now());
        byte[] completedJson = EventCodec.encode(completed);
        assertThat(EventCodec.resultType(completedJson)).isEqualTo(AnalysisCompleted.TYPE);
        assertThat(EventCodec.decodeAnalysisCompleted(completedJson)).isEqualTo(completed);
        assertThat(EventCodec.resultType(EventCodec.encode(registered))).isEqualTo(IngestOutcome.TYPE);
        assertThat(EventCodec.resultType("{\"version\":1,\"request_id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .as("written before the discriminator").isEqualTo(AnalysisCompleted.TYPE);
    }
}
