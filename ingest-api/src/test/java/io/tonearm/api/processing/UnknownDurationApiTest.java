package io.tonearm.api.processing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiHarness;
import io.tonearm.api.UnknownLengthAudio;
import io.tonearm.events.Topics;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.assets.AssetRegistrar;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import io.tonearm.sinks.credits.Tariff;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Endpoints priced per started minute of audio (master, separation, transcription) on assets whose duration is not
 * known: a recording whose header states no length (a streamed FLAC, a browser's WebM) is refused 422
 * {@code unknown_duration} with nothing charged and no job; an asset whose probe has not run (registered by the
 * pipeline) is probed first. Flat-priced endpoints take the same assets as before.
 */
class UnknownDurationApiTest {

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static final long ALLOWANCE = 1000; // basic, CreditPolicy.defaults()

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dataDir, c -> c);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /** Every endpoint the tariff prices per minute, by its path and a body naming the asset. */
    private static Map<String, String> perMinuteRequests(String assetId) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Process p : Processes.JOBS) {
            if (Tariff.standard().price(p.kind()).perMinute()) {
                out.put(p.path(), "{\"asset_id\":\"" + assetId + "\"}");
            }
        }
        // the prompt picks separate/2stem or separate/4stem
        out.put("/v1/queue/audio/separate karaoke", "{\"input\":{\"asset_id\":\"" + assetId + "\",\"prompt\":\"karaoke\"}}");
        out.put("/v1/queue/audio/separate drums", "{\"input\":{\"asset_id\":\"" + assetId + "\",\"prompt\":\"drums\"}}");
        return out;
    }

    @Test
    void everyPerMinuteEndpointRefusesARecordingOfUnknownLengthWith422AndChargesNothing() {
        String key = api.newKey(Plan.BASIC);
        JsonNode asset = json(api.upload(key, UnknownLengthAudio.streamedFlac(1, 2.0), "audio/flac", "live.flac"));
        assertThat(asset.get("status").asText()).as("the probe found a valid FLAC").isEqualTo("ready");
        assertThat(asset.get("duration").isNull()).as("whose header states no length: " + asset).isTrue();

        Map<String, String> requests = perMinuteRequests(asset.get("asset_id").asText());
        assertThat(requests.keySet()).as("the tariff's per-minute endpoints").contains("/v1/master",
                "/v1/separate/2stem", "/v1/separate/4stem", "/v1/transcribe", "/v1/segment-transcribe");
        requests.forEach((request, body) -> {
            HttpResponse<String> r = postJson(request.split(" ")[0], key, body);
            assertThat(r.statusCode()).as(request + ": " + r.body()).isEqualTo(422);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("unknown_duration");
            assertThat(json(r).at("/error/message").asText()).as(request)
                    .contains("declares no duration", "per started minute");
        });
        assertNothingCharged(key, asset.get("sha256").asText());
    }

    @Test
    void aBrowsersWebmSentAsTheBodyBecomesAnAssetButNoJob() {
        String key = api.newKey(Plan.BASIC);
        HttpResponse<String> r = api.send(api.request("/v1/transcribe?filename=take.webm", key)
                .header("Content-Type", "audio/webm")
                .POST(HttpRequest.BodyPublishers.ofByteArray(UnknownLengthAudio.streamedWebm(2, 2.0))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("unknown_duration");
        assertThat(json(r).at("/error/message").asText()).contains("transcribe");
        JsonNode assets = json(api.get("/v1/assets", key));
        assertThat(assets.get("count").asInt()).as("uploads are free and kept, as with any processing request").isEqualTo(1);
        assertNothingCharged(key, assets.at("/items/0/sha256").asText());
    }

    @Test
    void flatPricedEndpointsTakeARecordingOfUnknownLength() {
        String key = api.newKey(Plan.BASIC);
        String assetId = json(api.upload(key, UnknownLengthAudio.streamedFlac(3, 2.0), "audio/flac", null))
                .get("asset_id").asText();
        for (String path : List.of("/v1/bpm", "/v1/analyze/upload")) {
            HttpResponse<String> r = postJson(path, key, "{\"asset_id\":\"" + assetId + "\"}");
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(202);
        }
        assertThat(balance(key)).as("bpm 2 + analyze/upload 10").isEqualTo(ALLOWANCE - 12);
    }

    /** A WAV whose writer left the data size open (0 or 0xFFFFFFFF) is measured by its bytes, not refused. */
    @Test
    void aWavWhoseHeaderLeavesTheLengthOpenIsPricedByWhatItHolds() {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        int seed = 4;
        for (long declared : new long[]{0, 0xFFFFFFFFL}) {
            byte[] wav = wavDeclaring(seed++, 61.0, declared);
            JsonNode asset = json(api.upload(key, wav, "audio/wav", null));
            assertThat(asset.get("duration").asDouble()).as("data size " + declared).isCloseTo(61.0, within(0.01));
            HttpResponse<String> r = postJson("/v1/transcribe", key, "{\"asset_id\":\"" + asset.get("asset_id").asText() + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            before -= 20;
            assertThat(balance(key)).as("two started minutes at 10").isEqualTo(before);
        }
    }

    /**
     * The catalog scan and the Kafka ingestion register assets without probing them (status processing, no
     * duration): a per-minute request probes the asset first, then charges its length or refuses as above.
     */
    @Test
    void anAssetThePipelineRegisteredIsProbedWhenAPerMinuteRequestNeedsItsLength() throws Exception {
        String key = api.newKey(Plan.BASIC);
        UUID account = accountId(key);
        String wav = registerAsThePipelineDoes(account, ApiHarness.wav(6, 61.0), "audio/wav");
        String flac = registerAsThePipelineDoes(account, UnknownLengthAudio.streamedFlac(7, 2.0), "audio/flac");
        String text = registerAsThePipelineDoes(account, "not audio\n".repeat(100).getBytes(), "audio/mpeg");
        for (String id : List.of(wav, flac, text)) {
            JsonNode a = json(api.get("/v1/assets/" + id, key));
            assertThat(a.get("status").asText()).as("never probed").isEqualTo("processing");
            assertThat(a.get("duration").isNull()).isTrue();
        }

        HttpResponse<String> measured = postJson("/v1/master", key, "{\"asset_id\":\"" + wav + "\"}");
        assertThat(measured.statusCode()).as(measured.body()).isEqualTo(202);
        assertThat(balance(key)).as("two started minutes at 5").isEqualTo(ALLOWANCE - 10);
        JsonNode probed = json(api.get("/v1/assets/" + wav, key));
        assertThat(probed.get("status").asText()).isEqualTo("ready");
        assertThat(probed.get("duration").asDouble()).isCloseTo(61.0, within(0.01));

        HttpResponse<String> unknown = postJson("/v1/separate/2stem", key, "{\"asset_id\":\"" + flac + "\"}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("unknown_duration");

        HttpResponse<String> broken = postJson("/v1/transcribe", key, "{\"asset_id\":\"" + text + "\"}");
        assertThat(broken.statusCode()).as(broken.body()).isEqualTo(422);
        assertThat(json(broken).at("/error/code").asText()).startsWith("undecodable_audio.");

        assertThat(balance(key)).as("only the measured one was charged").isEqualTo(ALLOWANCE - 10);
        assertThat(api.count("SELECT count(*) FROM jobs WHERE account_id = '" + account + "'")).isEqualTo(1);
    }

    @Test
    void theApiDocsListTheRefusalForThePerMinuteEndpointsOnly() {
        JsonNode paths = json(api.get("/openapi.json", null)).get("paths");
        for (String path : List.of("/v1/master", "/v1/separate/2stem", "/v1/separate/4stem", "/v1/transcribe",
                "/v1/segment-transcribe", "/v1/queue/audio/separate", "/v1/analysis/stream")) {
            assertThat(paths.at("/" + path.replace("/", "~1") + "/post/responses/422/description").asText()).as(path)
                    .contains("unknown_duration");
        }
        assertThat(paths.at("/~1v1~1analyze~1upload/post/responses/422/description").asText()).as("a flat price")
                .isNotEmpty().doesNotContain("unknown_duration");
    }

    // ---- helpers

    private static String registerAsThePipelineDoes(UUID account, byte[] bytes, String contentType) throws Exception {
        FileSystemBlobStore blobs = new FileSystemBlobStore(dataDir.resolve("blobs")); // the API's blob store
        StoredBlob blob = blobs.put(new ByteArrayInputStream(bytes), bytes.length);
        AssetRegistrar.NewAsset row = new AssetRegistrar.NewAsset(account, blob, "file", "scanned", contentType,
                "audio", Plan.BASIC.assetRetention());
        return api.db.inTransaction(c -> new AssetRegistrar(blobs).register(c, row)).assetId().toString();
    }

    /** A 16-bit mono WAV of {@code seconds} whose data chunk declares {@code dataSize} bytes. */
    private static byte[] wavDeclaring(int seed, double seconds, long dataSize) {
        byte[] wav = ApiHarness.wav(seed, seconds);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(40, (int) dataSize);
        return wav;
    }

    private static void assertNothingCharged(String key, String sha256) {
        UUID account = accountId(key);
        assertThat(balance(key)).isEqualTo(ALLOWANCE);
        assertThat(api.count("SELECT count(*) FROM credit_ledger WHERE kind = 'charge' AND account_id = '" + account + "'"))
                .isZero();
        assertThat(api.count("SELECT count(*) FROM jobs WHERE account_id = '" + account + "'")).as("no job").isZero();
        assertThat(api.count("SELECT count(*) FROM outbox WHERE topic = '" + Topics.REQUESTS + "' AND key = '" + sha256 + "'"))
                .as("no analysis request").isZero();
    }

    private static HttpResponse<String> postJson(String path, String key, String body) {
        return api.send(api.request(path, key).header("Content-Type", "application/json").header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static long balance(String key) {
        return json(api.get("/v1/account", key)).get("credits").asLong();
    }

    private static UUID accountId(String key) {
        return UUID.fromString(json(api.get("/v1/account", key)).get("account_id").asText());
    }
}
