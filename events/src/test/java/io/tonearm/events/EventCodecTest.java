package io.tonearm.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    private static final String SHA = "ab".repeat(32);

    @Test
    void assetEventRoundTripsWithSnakeCaseFieldsAndLowerCaseType() {
        AssetEvent event = new AssetEvent(AssetEvent.CURRENT_VERSION, UUID.randomUUID(), AssetEvent.Type.CREATED,
                UUID.randomUUID(), UUID.randomUUID(), SHA, "file:///data/ab/ab/" + SHA, "song.mp3", "audio/mpeg",
                1234L, Instant.parse("2026-11-21T00:00:00.123456Z"));

        String json = EventCodec.encodeToString(event);

        assertThat(json).contains("\"event_id\"", "\"blob_location\"", "\"size_bytes\":1234", "\"type\":\"created\"",
                "\"occurred_at\":\"2026-11-21T00:00:00.123456Z\"");
        assertThat(EventCodec.decodeAssetEvent(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);
        assertThat(event.key()).isEqualTo(SHA);
    }

    @Test
    void analysisRequestedRoundTrips() {
        AnalysisRequested event = new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), SHA,
                List.of(new AnalysisRequested.AnalyzerRequest("bpm_degara", null, Map.of("min_bpm", 60)),
                        new AnalysisRequested.AnalyzerRequest("key", "1", Map.of())),
                Instant.parse("2026-11-21T00:00:00Z"));

        AnalysisRequested decoded = EventCodec.decodeAnalysisRequested(EventCodec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.analyzers().get(0).params()).containsEntry("min_bpm", 60);
    }

    @Test
    void aCarriedProbeRoundTripsAndRecordsWithoutOneHaveNone() {
        AudioProbe probe = new AudioProbe("wav", "pcm_s16le", 44100, 2, "stereo", 180.0, 1411200L);
        AnalysisRequested event = new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), SHA, List.of(new AnalysisRequested.AnalyzerRequest("key", "1", Map.of())),
                Instant.parse("2026-11-21T00:00:00Z"), probe);
        String json = EventCodec.encodeToString(event);
        assertThat(json).contains("\"probe\":{\"container\":\"wav\",\"codec\":\"pcm_s16le\",\"sample_rate\":44100,"
                + "\"channels\":2,\"channel_layout\":\"stereo\",\"duration_seconds\":180.0,\"bit_rate\":1411200}");
        assertThat(EventCodec.decodeAnalysisRequested(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);

        String older = json.substring(0, json.indexOf(",\"probe\"")) + "}";
        AnalysisRequested decoded = EventCodec.decodeAnalysisRequested(older.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded.probe()).isNull();
        assertThat(decoded.requestId()).isEqualTo(event.requestId());
    }

    @Test
    void optionalAnalyzersRoundTripAndRecordsWithoutTheFlagAreRequired() {
        AnalysisRequested.AnalyzerRequest vad = new AnalysisRequested.AnalyzerRequest("vocal-activity", "1", Map.of(), true);
        AnalysisRequested event = new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), SHA,
                List.of(new AnalysisRequested.AnalyzerRequest("key", "1", Map.of()), vad), Instant.parse("2026-11-21T00:00:00Z"));
        String json = EventCodec.encodeToString(event);
        assertThat(json).contains("\"optional\":true", "\"optional\":false");
        assertThat(EventCodec.decodeAnalysisRequested(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);

        String older = json.replace(",\"optional\":true", "").replace(",\"optional\":false", "");
        assertThat(older).doesNotContain("optional");
        assertThat(EventCodec.decodeAnalysisRequested(older.getBytes(StandardCharsets.UTF_8)).analyzers())
                .extracting(AnalysisRequested.AnalyzerRequest::optional).containsExactly(false, false);
    }

    @Test
    void aJobSucceedsWhenEveryRequiredAnalyzerAndAtLeastOneAnalyzerSucceeded() {
        AnalysisRequested r = new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), SHA, List.of(new AnalysisRequested.AnalyzerRequest("key", null, Map.of()),
                new AnalysisRequested.AnalyzerRequest("vocal-activity", null, Map.of(), true)), Instant.now());
        assertThat(r.succeedsDespite(List.of())).isTrue();
        assertThat(r.succeedsDespite(List.of("vocal-activity"))).as("an optional failure is reported, not fatal").isTrue();
        assertThat(r.succeedsDespite(List.of("key"))).isFalse();
        AnalysisRequested onlyOptional = new AnalysisRequested(AnalysisRequested.CURRENT_VERSION, UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), SHA,
                List.of(new AnalysisRequested.AnalyzerRequest("vocal-activity", null, Map.of(), true)), Instant.now());
        assertThat(onlyOptional.succeedsDespite(List.of("vocal-activity"))).as("nothing succeeded").isFalse();
    }

    @Test
    void unknownFieldsAreIgnoredButNewerVersionsAreRejected() {
        String base = "{\"version\":%d,\"event_id\":\"%s\",\"type\":\"deleted\",\"account_id\":\"%s\","
                + "\"asset_id\":\"%s\",\"sha256\":\"" + SHA + "\",\"size_bytes\":1,\"occurred_at\":\"2026-11-21T00:00:00Z\","
                + "\"added_later\":true}";
        String v1 = base.formatted(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        String v2 = base.formatted(2, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

        assertThat(EventCodec.decodeAssetEvent(v1.getBytes(StandardCharsets.UTF_8)).type()).isEqualTo(AssetEvent.Type.DELETED);
        assertThatThrownBy(() -> EventCodec.decodeAssetEvent(v2.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("version 2");
    }
}
