package io.tonearm.api.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiConfig;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The {@code /v1/assets} resource over HTTP against a real PostgreSQL, the real blob store and ffprobe. */
class AssetsApiTest {

    private static final long BASIC_MAX_UPLOAD = 100_000;

    @TempDir
    static Path dataDir;
    static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dataDir, c -> c
                .withLimits(Plan.BASIC, new PlanLimits(10_000, Duration.ofMinutes(1), BASIC_MAX_UPLOAD))
                .withLimits(Plan.PRO, new PlanLimits(10_000, Duration.ofMinutes(1), ApiConfig.GIB)));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void uploadStoresTheBlobByHashAndProbesItToReady() throws Exception {
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(1, 1.0);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wav));

        HttpResponse<String> r = api.upload(key, wav, "audio/wav", "tone.wav");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode a = json(r);
        assertThat(a.get("sha256").asText()).isEqualTo(sha);
        assertThat(a.get("asset_id").asText()).isEqualTo(a.get("id").asText());
        assertThat(a.get("size_bytes").asLong()).isEqualTo(wav.length);
        assertThat(a.get("status").asText()).isEqualTo("ready");
        assertThat(a.get("sample_rate").asInt()).isEqualTo(8000);
        assertThat(a.get("channels").asInt()).isEqualTo(1);
        assertThat(a.get("duration").asDouble()).isCloseTo(1.0, within(0.01));
        assertThat(a.get("codec").asText()).isEqualTo("pcm_s16le");
        assertThat(a.get("filename").asText()).isEqualTo("tone.wav");
        assertThat(a.get("file_type").asText()).isEqualTo("audio");
        assertThat(a.get("expires_at").asText()).isNotBlank();
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        Path blob = dataDir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
        assertThat(Files.readAllBytes(blob)).isEqualTo(wav);
        assertThat(api.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.assets.v1' AND key = '" + sha
                + "' AND payload->>'type' = 'created' AND payload->>'asset_id' = '" + a.get("id").asText() + "'")).isEqualTo(1);

        HttpResponse<String> again = api.get("/v1/assets/" + a.get("id").asText(), key);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("status").asText()).isEqualTo("ready");
    }

    @Test
    void sameBytesFromTheSameAccountGiveTheSameAssetAndNothingNew() throws Exception {
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(2, 0.5);
        JsonNode first = json(api.upload(key, wav, "audio/wav", "a.wav"));
        long assets = api.count("SELECT count(*) FROM assets");
        long blobs = api.count("SELECT count(*) FROM blobs");
        long events = api.count("SELECT count(*) FROM outbox");
        long files = blobFiles();

        HttpResponse<String> second = api.upload(key, wav, "application/octet-stream", "renamed.wav");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second).get("asset_id").asText()).isEqualTo(first.get("asset_id").asText());
        assertThat(api.count("SELECT count(*) FROM assets")).isEqualTo(assets);
        assertThat(api.count("SELECT count(*) FROM blobs")).isEqualTo(blobs);
        assertThat(api.count("SELECT count(*) FROM outbox")).isEqualTo(events);
        assertThat(blobFiles()).isEqualTo(files);
    }

    @Test
    void concurrentUploadsOfTheSameBytesConvergeOnOneAsset() throws Exception {
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(8, 0.5);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> api.upload(key, wav, "audio/wav", "race.wav")));
            }
            List<String> ids = new ArrayList<>();
            int created = 0;
            for (var call : calls) {
                HttpResponse<String> r = call.get();
                assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
                created += r.statusCode() == 201 ? 1 : 0;
                ids.add(json(r).get("asset_id").asText());
            }
            assertThat(ids).containsOnly(ids.get(0));
            assertThat(created).isEqualTo(1);
            assertThat(api.count("SELECT count(*) FROM outbox WHERE payload->>'asset_id' = '" + ids.get(0) + "'")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherAccountSharesTheBlobButNeverSeesTheAsset() throws Exception {
        String alice = api.newKey(Plan.PRO);
        String bob = api.newKey(Plan.BASIC);
        byte[] wav = ApiHarness.wav(3, 0.5);
        String aliceId = json(api.upload(alice, wav, "audio/wav", "x.wav")).get("asset_id").asText();
        long blobs = api.count("SELECT count(*) FROM blobs");

        HttpResponse<String> bobs = api.upload(bob, wav, "audio/wav", "x.wav");

        assertThat(bobs.statusCode()).isEqualTo(201);
        assertThat(json(bobs).get("asset_id").asText()).isNotEqualTo(aliceId);
        assertThat(api.count("SELECT count(*) FROM blobs")).isEqualTo(blobs);
        assertError(api.get("/v1/assets/" + aliceId, bob), 404, "not_found");
        assertError(api.send(api.request("/v1/assets/" + aliceId, bob).method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"title\":\"mine\"}}")).build()), 404, "not_found");
        assertError(api.send(api.request("/v1/assets/" + aliceId + "?force=true", bob).DELETE().build()), 404, "not_found");
        JsonNode bobList = json(api.get("/v1/assets?asset_ids=" + aliceId, bob));
        assertThat(bobList.get("count").asLong()).isZero();
        assertThat(api.get("/v1/assets/" + aliceId, alice).statusCode()).isEqualTo(200);
    }

    @Test
    void bytesThatAreNotAudioEndFailedWithAReason() {
        String key = api.newKey(Plan.PRO);
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);

        JsonNode a = json(api.upload(key, junk, "audio/mpeg", "junk.mp3"));

        assertThat(a.get("status").asText()).isEqualTo("failed");
        assertThat(a.get("error").get("code").asText()).startsWith("undecodable_audio.");
        assertThat(a.get("error").get("message").asText()).isNotBlank();
    }

    @Test
    void listsNewestFirstWithFiltersPagesAndCursors() {
        String key = api.newKey(Plan.PRO);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(0, json(api.upload(key, ApiHarness.wav(100 + i, 0.2), "audio/wav", "Track-" + i + ".wav"))
                    .get("asset_id").asText());
        }

        JsonNode all = json(api.get("/v1/assets", key));
        assertThat(all.get("count").asLong()).isEqualTo(5);
        assertThat(ids(all)).containsExactlyElementsOf(ids);
        assertThat(all.get("next_cursor").isNull()).isTrue();

        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode p = json(api.get("/v1/assets?page_limit=2&page=" + page, key));
            assertThat(p.get("count").asLong()).isEqualTo(5);
            paged.addAll(ids(p));
        }
        assertThat(paged).containsExactlyElementsOf(ids);

        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode p = json(api.get("/v1/assets?page_limit=2" + (cursor == null ? "" : "&cursor=" + cursor), key));
            walked.addAll(ids(p));
            cursor = p.get("next_cursor").isNull() ? null : p.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(walked).containsExactlyElementsOf(ids);
        assertThat(pages).isEqualTo(3);

        assertThat(ids(json(api.get("/v1/assets?filename=track-3", key)))).containsExactly(ids.get(1));
        assertThat(ids(json(api.get("/v1/assets?asset_ids=" + ids.get(0) + "," + ids.get(4), key))))
                .containsExactly(ids.get(0), ids.get(4));
        assertThat(ids(json(api.get("/v1/assets?asset_types=video", key)))).isEmpty();
        assertThat(ids(json(api.get("/v1/assets?asset_types=audio&page_limit=50", key)))).hasSize(5);

        HttpResponse<String> patched = api.send(api.request("/v1/assets/" + ids.get(2), key).method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"isrc\":\"us-rc1-76-07839\",\"artist\":\"Ana\","
                        + "\"title\":\"Song\",\"label\":\"Indie\"}}")).build());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).get("metadata").get("isrc").asText()).isEqualTo("USRC17607839");
        assertThat(ids(json(api.get("/v1/assets?isrc=US-RC1-76-07839", key)))).containsExactly(ids.get(2));
        assertThat(ids(json(api.get("/v1/assets?artist=Ana&metadata.label=Indie", key)))).containsExactly(ids.get(2));
        assertThat(ids(json(api.get("/v1/assets?metadata.label=Other", key)))).isEmpty();

        JsonNode removed = json(api.send(api.request("/v1/assets/" + ids.get(2), key).method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"label\":null},\"filename\":\"new.wav\"}")).build()));
        assertThat(removed.get("metadata").has("label")).isFalse();
        assertThat(removed.get("metadata").get("artist").asText()).isEqualTo("Ana");
        assertThat(removed.get("filename").asText()).isEqualTo("new.wav");

        assertError(api.get("/v1/assets?page_limit=0", key), 400, "invalid_parameter");
        assertError(api.get("/v1/assets?cursor=bm9wZQ", key), 400, "invalid_cursor");
        assertError(api.get("/v1/assets?asset_ids=nope", key), 400, "invalid_parameter");
        assertThat(ids(json(api.get("/v1/assets?page_limit=500", key)))).hasSize(5);
    }

    @Test
    void deleteIsRefusedWhileAJobUsesTheAssetUnlessForced() {
        String key = api.newKey(Plan.PRO);
        JsonNode a = json(api.upload(key, ApiHarness.wav(4, 0.3), "audio/wav", "busy.wav"));
        String id = a.get("asset_id").asText();
        UUID job = UUID.randomUUID();
        api.db.withConnection(c -> {
            try (var ps = c.prepareStatement("INSERT INTO jobs (id, account_id, asset_id, kind, status) "
                    + "SELECT ?, account_id, id, 'bpm', 'running' FROM assets WHERE id = ?")) {
                ps.setObject(1, job);
                ps.setObject(2, UUID.fromString(id));
                return ps.executeUpdate();
            }
        });

        assertError(api.send(api.request("/v1/assets/" + id, key).DELETE().build()), 409, "asset_in_use");
        assertThat(api.get("/v1/assets/" + id, key).statusCode()).isEqualTo(200);

        HttpResponse<String> forced = api.send(api.request("/v1/assets/" + id + "?force=true", key).DELETE().build());

        assertThat(forced.statusCode()).isEqualTo(204);
        assertError(api.get("/v1/assets/" + id, key), 404, "not_found");
        assertThat(api.count("SELECT count(*) FROM jobs WHERE id = '" + job + "' AND status = 'failed' AND asset_id IS NULL"))
                .isEqualTo(1);
        assertThat(api.count("SELECT count(*) FROM outbox WHERE payload->>'type' = 'deleted' AND payload->>'asset_id' = '"
                + id + "'")).isEqualTo(1);
        assertThat(api.count("SELECT count(*) FROM blobs WHERE sha256 = '" + a.get("sha256").asText() + "'"))
                .as("the blob and computed results outlive the asset").isEqualTo(1);

        HttpResponse<String> reupload = api.upload(key, ApiHarness.wav(4, 0.3), "audio/wav", "busy.wav");
        assertThat(reupload.statusCode()).isEqualTo(201);
        assertThat(json(reupload).get("asset_id").asText()).as("ids are stable for (account, sha256)").isEqualTo(id);
    }

    @Test
    void multipartDirectUploadStreamsTheFilePart() {
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(5, 0.4);
        String boundary = "----tonearm" + UUID.randomUUID();
        byte[] body = multipart(boundary, "direct", "song.wav", "audio/wav", wav);

        HttpResponse<String> r = api.send(api.request("/v1/assets", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode a = json(r);
        assertThat(a.get("method").asText()).isEqualTo("direct");
        assertThat(a.get("filename").asText()).isEqualTo("song.wav");
        assertThat(a.get("size").asLong()).isEqualTo(wav.length);
        assertThat(a.get("status").asText()).isEqualTo("ready");
        assertThat(json(api.upload(key, wav, "audio/wav", null)).get("id").asText()).isEqualTo(a.get("id").asText());

        assertError(api.send(api.request("/v1/assets", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, "carrier-pigeon", "s.wav", "audio/wav", wav)))
                .build()), 400, "invalid_method");
    }

    @Test
    void badRequestsGetTheRightStatusAndTheErrorShape() {
        String key = api.newKey(Plan.BASIC);
        assertError(api.upload(key, "hello".getBytes(StandardCharsets.UTF_8), "text/plain", null), 415, "unsupported_media_type");
        assertError(api.upload(key, new byte[0], "audio/wav", null), 400, "empty_body");
        assertError(api.upload(key, new byte[(int) BASIC_MAX_UPLOAD + 1], "audio/wav", null), 413, "payload_too_large");
        assertError(api.send(api.request("/v1/assets/upload", key).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new java.io.ByteArrayInputStream(new byte[(int) BASIC_MAX_UPLOAD * 2]))).build()), 413, "payload_too_large");
        String boundary = "----tonearm-big";
        assertError(api.send(api.request("/v1/assets", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, "direct", "big.wav", "audio/wav",
                        new byte[(int) BASIC_MAX_UPLOAD + 1]))).build()), 413, "payload_too_large");
        assertThat(api.count("SELECT count(*) FROM blobs WHERE size_bytes > " + BASIC_MAX_UPLOAD)).isZero();

        String id = json(api.upload(key, ApiHarness.wav(6, 0.2), "audio/wav", null)).get("id").asText();
        assertError(api.send(api.request("/v1/assets/" + id, key).method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"metadata\": {")).build()), 400, "malformed_json");
        assertError(api.send(api.request("/v1/assets/" + id, key).method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"metadata\": {\"isrc\": \"not-an-isrc\"}}")).build()), 400, "invalid_isrc");
        assertError(api.send(api.request("/v1/assets/" + id, key).method("PATCH",
                HttpRequest.BodyPublishers.ofString("{\"colour\": \"red\"}")).build()), 400, "unknown_field");
        assertError(api.get("/v1/assets/" + UUID.randomUUID(), key), 404, "not_found");
        assertError(api.get("/v1/assets/not-a-uuid", key), 404, "not_found");

        assertError(api.get("/v1/assets", null), 401, "unauthorized");
        assertError(api.get("/v1/assets", "tnk_00000000_" + "A".repeat(43)), 401, "unauthorized");
        assertError(api.send(api.request("/v1/assets", null).header("Authorization", "Basic abc").GET().build()), 401, "unauthorized");
        api.server.accounts().revokeKey(key);
        assertError(api.get("/v1/assets", key), 403, "key_revoked");
    }

    @Test
    void accountShowsPlanLimitsAndUsage() {
        String key = api.newKey(Plan.BASIC);
        api.upload(key, ApiHarness.wav(7, 0.2), "audio/wav", null);

        JsonNode account = json(api.get("/v1/account", key));

        assertThat(account.get("plan").asText()).isEqualTo("basic");
        assertThat(account.get("limits").get("max_upload_bytes").asLong()).isEqualTo(BASIC_MAX_UPLOAD);
        assertThat(account.get("limits").get("asset_retention_hours").asLong()).isEqualTo(24);
        assertThat(account.get("usage").get("assets").asLong()).isEqualTo(1);
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = json(r).get("error");
        assertThat(e).as(r.body()).isNotNull();
        assertThat(e.get("code").asText()).isEqualTo(code);
        assertThat(e.get("message").asText()).isNotBlank();
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("items").forEach(i -> out.add(i.get("asset_id").asText()));
        return out;
    }

    private static long blobFiles() throws Exception {
        try (Stream<Path> s = Files.walk(dataDir.resolve("blobs"))) {
            return s.filter(Files::isRegularFile).filter(p -> !p.startsWith(dataDir.resolve("blobs/tmp"))).count();
        }
    }

    private static byte[] multipart(String boundary, String method, String filename, String type, byte[] file) {
        var out = new java.io.ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"method\"\r\n\r\n" + method + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + type + "\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
