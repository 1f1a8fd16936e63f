package io.tonearm.api.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiConfig;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/files} then {@code PUT upload_url}: signed, expiring, single-use, size and type enforced. */
class FilesApiTest {

    @TempDir
    static Path dataDir;
    static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dataDir, c -> c
                .withLimits(Plan.BASIC, new PlanLimits(10_000, Duration.ofMinutes(1), 50_000))
                .withLimits(Plan.PRO, new PlanLimits(10_000, Duration.ofMinutes(1), ApiConfig.GIB)));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void presignThenPutCreatesAnAssetOnceAndOnlyOnce() {
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(21, 0.5);
        JsonNode presigned = presign(key, "song.wav", "audio/wav", wav.length, 201);
        assertThat(presigned.get("upload_method").asText()).isEqualTo("PUT");
        assertThat(presigned.get("headers").get("Content-Type").asText()).isEqualTo("audio/wav");
        assertThat(presigned.get("expires_at").asText()).isNotBlank();
        String url = presigned.get("upload_url").asText();

        HttpResponse<String> put = put(url, "audio/wav", wav);

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode file = json(put);
        assertThat(file.get("status").asText()).isEqualTo("uploaded");
        JsonNode asset = json(api.get("/v1/assets/" + file.get("asset_id").asText(), key));
        assertThat(asset.get("method").asText()).isEqualTo("file");
        assertThat(asset.get("filename").asText()).isEqualTo("song.wav");
        assertThat(asset.get("status").asText()).isEqualTo("ready");
        assertThat(json(api.get("/v1/files/" + presigned.get("file_id").asText(), key)).get("asset_id").asText())
                .isEqualTo(file.get("asset_id").asText());
        assertThat(api.get("/v1/files/" + presigned.get("file_id").asText(), api.newKey(Plan.PRO)).statusCode())
                .as("another account's file").isEqualTo(404);

        HttpResponse<String> again = put(url, "audio/wav", wav);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").get("code").asText()).isEqualTo("upload_url_used");
    }

    @Test
    void theUrlEnforcesSignatureTypeAndSize() {
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(22, 0.5);
        String url = presign(key, "x.wav", "audio/wav", wav.length, 201).get("upload_url").asText();

        assertThat(put(url.replace("size=" + wav.length, "size=" + (wav.length + 1)), "audio/wav",
                Arrays.copyOf(wav, wav.length + 1)).statusCode()).as("tampered").isEqualTo(403);
        assertThat(put(url, "audio/mpeg", wav).statusCode()).as("other type").isEqualTo(415);
        HttpResponse<String> shorter = put(url, "audio/wav", Arrays.copyOf(wav, wav.length - 10));
        assertThat(shorter.statusCode()).isEqualTo(400);
        assertThat(json(shorter).get("error").get("code").asText()).isEqualTo("upload_wrong_size");
        assertThat(put(url, "audio/wav", wav).statusCode()).as("the refused PUTs did not use the URL up").isEqualTo(200);
    }

    @Test
    void aPutThatDiedWithItsReplicaGivesTheUrlBackAfterHousekeeping() {
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(23, 0.3);
        JsonNode presigned = presign(key, "y.wav", "audio/wav", wav.length, 201);
        String id = presigned.get("file_id").asText();
        api.db.withConnection(c -> c.createStatement().executeUpdate("UPDATE files SET status = 'uploading', "
                + "claimed_at = now() - interval '7 hours' WHERE id = '" + id + "'"));
        assertThat(put(presigned.get("upload_url").asText(), "audio/wav", wav).statusCode()).isEqualTo(409);

        api.server.runHousekeeping();

        assertThat(put(presigned.get("upload_url").asText(), "audio/wav", wav).statusCode()).isEqualTo(200);
    }

    @Test
    void presignRejectsBadRequestsAndSizesOverThePlan() {
        String basic = api.newKey(Plan.BASIC);
        JsonNode tooBig = presign(basic, "big.wav", "audio/wav", 60_000, 413);
        assertThat(tooBig.get("error").get("code").asText()).isEqualTo("payload_too_large");
        assertThat(presign(basic, "notes.txt", "text/plain", 100, 400).get("error").get("code").asText())
                .isEqualTo("invalid_request");
        assertThat(api.send(api.request("/v1/files", basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file_name\":")).build()).statusCode()).isEqualTo(400);
        assertThat(api.send(api.request("/v1/files", null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode()).isEqualTo(401);
    }

    private static JsonNode presign(String key, String name, String type, long size, int expectedStatus) {
        HttpResponse<String> r = api.send(api.request("/v1/files", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file_name\":\"" + name + "\",\"content_type\":\"" + type
                        + "\",\"file_size\":" + size + ",\"purpose\":\"analysis\"}")).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        return json(r);
    }

    private static HttpResponse<String> put(String url, String type, byte[] body) {
        return api.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
