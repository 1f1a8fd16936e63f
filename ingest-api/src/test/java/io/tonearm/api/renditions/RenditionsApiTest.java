package io.tonearm.api.renditions;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.decode.PcmStream;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntToDoubleFunction;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Thumbnail and HLS renditions over HTTP against the real PostgreSQL, blob store, decoder and bundled ffmpeg: what
 * they contain, their statuses, access, bad flags, undecodable input, recovery of a crashed worker's rendition and
 * freeing their blobs with the last asset that references them.
 */
class RenditionsApiTest {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static HttpServer origin;
    static final byte[] ORIGIN_WAV = wav(22050, 1, 3.0, i -> 0.5 * Math.sin(2 * Math.PI * 330 * i / 22050.0));

    @BeforeAll
    static void start() throws Exception {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/song.wav", ex -> {
            ex.getResponseHeaders().add("Content-Type", "audio/wav");
            ex.sendResponseHeaders(200, ORIGIN_WAV.length);
            ex.getResponseBody().write(ORIGIN_WAV);
            ex.close();
        });
        origin.start();
        api = new ApiHarness(dataDir, c -> c
                .withUrlAllowList(List.of("127.0.0.1:" + origin.getAddress().getPort()))
                .withRenditions(new RenditionSettings(2, Duration.ofMinutes(2), Duration.ofSeconds(3),
                        Duration.ofMillis(200))));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        origin.stop(0);
    }

    @Test
    void thumbnailIsAnEightHundredBySixtyPngWhoseColumnsFollowTheAudio() throws Exception {
        String key = api.newKey(Plan.PRO);
        int rate = 44100;
        // 3 s of silence, then 3 s of a loud tone: the right half of the picture must be the tall half
        byte[] wav = wav(rate, 2, 6.0, i -> i < 3 * rate ? 0 : 0.8 * Math.sin(2 * Math.PI * 440 * i / rate));

        HttpResponse<String> r = api.send(api.request("/v1/assets/upload?filename=half.wav&enable_thumbnail=true", key)
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode created = json(r);
        String id = created.get("id").asText();
        assertThat(created.get("thumbnail").get("status").asText()).isIn("pending", "processing", "ready");
        assertThat(created.has("hls")).as("hls was not asked for").isFalse();
        JsonNode ready = awaitRendition(key, id, "thumbnail", "ready");
        assertThat(ready.get("thumbnail").get("url").asText()).isEqualTo("/v1/assets/" + id + "/thumbnail");
        assertThat(ready.get("thumbnail").get("error").isNull()).isTrue();

        HttpResponse<byte[]> png = getBytes("/v1/assets/" + id + "/thumbnail", key);
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image).as("a PNG").isNotNull();
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(160);
        double left = meanColumnHeight(image, 20, 380);
        double right = meanColumnHeight(image, 420, 780);
        assertThat(left).as("silence: the centre line only").isLessThanOrEqualTo(2);
        // a 0.8 full-scale sine spans 80 % of the height
        assertThat(right).as("the loud half").isCloseTo(0.8 * 160, within(8.0));

        assertThat(api.get("/v1/assets/" + id + "/hls/index.m3u8", key).statusCode()).as("not requested").isEqualTo(404);
    }

    @Test
    void hlsPlaylistListsAacSegmentsThatCoverTheAudioAndDecode() throws Exception {
        String key = api.newKey(Plan.PRO);
        int rate = 44100;
        double seconds = 20.0;
        byte[] wav = wav(rate, 2, seconds, i -> 0.5 * Math.sin(2 * Math.PI * (220 + i / (double) rate * 20) * i / rate));
        String boundary = "----renditions" + UUID.randomUUID();

        HttpResponse<String> r = api.send(api.request("/v1/assets", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary,
                        Map.of("method", "direct", "enable_hls", "true", "enable_thumbnail", "false"), wav))).build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).get("id").asText();
        assertThat(json(r).has("thumbnail")).as("enable_thumbnail=false").isFalse();
        JsonNode ready = awaitRendition(key, id, "hls", "ready");
        String playlistPath = ready.get("hls").get("url").asText();
        assertThat(playlistPath).isEqualTo("/v1/assets/" + id + "/hls/index.m3u8");

        HttpResponse<String> playlist = api.get(playlistPath, key);
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(playlist.body()).startsWith("#EXTM3U").contains("#EXT-X-PLAYLIST-TYPE:VOD").contains("#EXT-X-ENDLIST");
        double listed = 0;
        List<String> segments = new ArrayList<>();
        for (String line : playlist.body().split("\n")) {
            if (line.startsWith("#EXTINF:")) {
                listed += Double.parseDouble(line.substring("#EXTINF:".length(), line.indexOf(',')));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                segments.add(line.strip());
            }
        }
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
        assertThat(listed).isCloseTo(seconds, within(6.0));

        Decoder decoder = Decoders.standard();
        URI base = URI.create("http://localhost:" + api.server.port() + playlistPath);
        double decoded = 0;
        Path dir = Files.createTempDirectory(dataDir, "segments");
        for (String segment : segments) {
            URI uri = base.resolve(segment); // relative to the playlist, as a player resolves it
            HttpResponse<byte[]> seg = getBytes(uri.getPath(), key);
            assertThat(seg.statusCode()).as(uri.toString()).isEqualTo(200);
            assertThat(seg.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            Path file = dir.resolve(segment);
            Files.write(file, seg.body());
            AudioInfo info = decoder.probe(file);
            assertThat(info.codec()).isEqualTo("aac");
            decoded += decodedSeconds(decoder, file, info);
        }
        assertThat(decoded).isCloseTo(seconds, within(6.0));
        assertThat(api.get("/v1/assets/" + id + "/thumbnail", key).statusCode()).as("not requested").isEqualTo(404);
        assertThat(api.get("/v1/assets/" + id + "/hls/segment-99999.ts", key).statusCode()).isEqualTo(404);
        assertThat(api.get("/v1/assets/" + id + "/hls/..%2F..%2Fetc%2Fpasswd", key).statusCode()).isEqualTo(404);
    }

    @Test
    void jsonUrlImportTakesTheFlagsAsBooleans() {
        String key = api.newKey(Plan.PRO);
        String url = "http://127.0.0.1:" + origin.getAddress().getPort() + "/song.wav";

        HttpResponse<String> r = postJson(key, "{\"method\":\"url\",\"url\":\"" + url + "\",\"enable_thumbnail\":true,"
                + "\"enable_hls\":true}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).get("id").asText();
        awaitRendition(key, id, "thumbnail", "ready");
        awaitRendition(key, id, "hls", "ready");
    }

    @Test
    void nonBooleanFlagsAre400AndCreateNothing() {
        String key = api.newKey(Plan.PRO);
        long assets = api.count("SELECT count(*) FROM assets");
        byte[] wav = ApiHarness.wav(71, 0.5);
        String boundary = "----renditions" + UUID.randomUUID();
        List<HttpResponse<String>> answers = List.of(
                api.send(api.request("/v1/assets/upload?enable_thumbnail=yes", key).header("Content-Type", "audio/wav")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build()),
                api.send(api.request("/v1/assets/upload?enable_hls=1", key).header("Content-Type", "audio/wav")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build()),
                api.send(api.request("/v1/assets", key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary,
                                Map.of("method", "direct", "enable_hls", "maybe"), wav))).build()),
                postJson(key, "{\"method\":\"url\",\"url\":\"http://127.0.0.1:1/x.wav\",\"enable_hls\":\"true\"}"),
                postJson(key, "{\"method\":\"url\",\"url\":\"http://127.0.0.1:1/x.wav\",\"enable_thumbnail\":1}"));
        for (HttpResponse<String> a : answers) {
            assertThat(a.statusCode()).as(a.body()).isEqualTo(400);
            assertThat(json(a).get("error").get("code").asText()).isEqualTo("invalid_parameter");
            assertThat(json(a).get("error").get("message").asText()).containsPattern("enable_(thumbnail|hls) must be true or false");
        }
        assertThat(api.count("SELECT count(*) FROM assets")).isEqualTo(assets);
    }

    @Test
    void undecodableUploadGivesEachRenditionAnErrorWithTheReason() {
        String key = api.newKey(Plan.PRO);
        byte[] noise = new byte[4096];
        new Random(5).nextBytes(noise);

        HttpResponse<String> r = api.send(api.request("/v1/assets/upload?enable_thumbnail=true&enable_hls=true", key)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(noise)).build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).get("id").asText();
        awaitRendition(key, id, "thumbnail", "error");
        JsonNode a = awaitRendition(key, id, "hls", "error");
        assertThat(a.get("status").asText()).isEqualTo("failed");
        for (String kind : List.of("thumbnail", "hls")) {
            JsonNode error = a.get(kind).get("error");
            assertThat(error.get("code").asText()).startsWith("undecodable_audio");
            assertThat(error.get("message").asText()).startsWith("the asset cannot be decoded: ").hasSizeGreaterThan(35);
            assertThat(a.get(kind).get("url").isNull()).isTrue();
        }
        assertThat(api.get("/v1/assets/" + id + "/thumbnail", key).statusCode()).isEqualTo(404);
        assertThat(api.get("/v1/assets/" + id + "/hls/index.m3u8", key).statusCode()).isEqualTo(404);
    }

    @Test
    void anotherAccountsAssetAnswers404ForEveryRenditionUrl() {
        String owner = api.newKey(Plan.PRO);
        String stranger = api.newKey(Plan.BASIC);
        HttpResponse<String> r = api.send(api.request("/v1/assets/upload?enable_thumbnail=true&enable_hls=true", owner)
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(72, 1.0))).build());
        String id = json(r).get("id").asText();
        awaitRendition(owner, id, "thumbnail", "ready");
        awaitRendition(owner, id, "hls", "ready");

        for (String path : List.of("/v1/assets/" + id + "/thumbnail", "/v1/assets/" + id + "/hls/index.m3u8",
                "/v1/assets/" + id + "/hls/segment-00000.ts", "/v1/assets/" + id)) {
            HttpResponse<String> other = api.get(path, stranger);
            assertThat(other.statusCode()).as(path).isEqualTo(404);
            assertThat(json(other).get("error").get("code").asText()).isEqualTo("not_found");
            assertThat(api.get(path, owner).statusCode()).as(path).isEqualTo(200);
            assertThat(api.get(path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(api.get("/v1/assets/not-an-id/thumbnail", owner).statusCode()).isEqualTo(404);
    }

    @Test
    void notRequestedMeansNoSubObjectAnd404AndAskingAgainAddsIt() {
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(73, 1.0);
        JsonNode plain = json(api.upload(key, wav, "audio/wav", "plain.wav"));
        String id = plain.get("id").asText();
        assertThat(plain.has("thumbnail")).isFalse();
        assertThat(plain.has("hls")).isFalse();
        JsonNode listed = json(api.get("/v1/assets?asset_ids=" + id, key)).get("items").get(0);
        assertThat(listed.has("thumbnail")).isFalse();
        assertThat(api.get("/v1/assets/" + id + "/thumbnail", key).statusCode()).isEqualTo(404);
        assertThat(json(api.get("/v1/assets/" + id + "/thumbnail", key)).get("error").get("message").asText())
                .contains("enable_thumbnail=true");

        HttpResponse<String> again = api.send(api.request("/v1/assets/upload?enable_thumbnail=true", key)
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build());

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("id").asText()).isEqualTo(id);
        awaitRendition(key, id, "thumbnail", "ready");
        assertThat(json(api.get("/v1/assets?asset_ids=" + id, key)).get("items").get(0).get("thumbnail")
                .get("status").asText()).isEqualTo("ready");
    }

    @Test
    void aRenditionLeftProcessingByACrashedWorkerIsTakenAgainWhenItsLeaseRunsOut() {
        String key = api.newKey(Plan.PRO);
        String id = json(api.upload(key, ApiHarness.wav(74, 1.0), "audio/wav", "crash.wav")).get("id").asText();
        // What a replica killed while encoding leaves behind: a claimed rendition under a lease nobody renews.
        api.db.withConnection(c -> c.createStatement().executeUpdate("INSERT INTO asset_renditions (asset_id, kind, "
                + "status, attempts, lease_until) VALUES ('" + id + "', 'hls', 'processing', 1, now() + interval '2 seconds')"));

        assertThat(json(api.get("/v1/assets/" + id, key)).get("hls").get("status").asText())
                .as("still leased to the dead worker").isEqualTo("processing");
        JsonNode ready = awaitRendition(key, id, "hls", "ready");

        assertThat(ready.get("hls").get("url").asText()).endsWith("/hls/index.m3u8");
        assertThat(api.count("SELECT attempts FROM asset_renditions WHERE asset_id = '" + id + "'")).isEqualTo(2);
    }

    @Test
    void renditionBlobsGoWithTheLastAssetThatReferencesThem() throws Exception {
        String first = api.newKey(Plan.PRO);
        String second = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(75, 2.0);
        String a = json(api.send(api.request("/v1/assets/upload?enable_thumbnail=true&enable_hls=true", first)
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build())).get("id").asText();
        String b = json(api.send(api.request("/v1/assets/upload?enable_thumbnail=true", second)
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build())).get("id").asText();
        awaitRendition(first, a, "thumbnail", "ready");
        awaitRendition(first, a, "hls", "ready");
        awaitRendition(second, b, "thumbnail", "ready");
        String png = api.db.withConnection(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT blob_sha256 FROM asset_rendition_files WHERE asset_id = '"
                    + a + "' AND kind = 'thumbnail'")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(api.count("SELECT count(DISTINCT blob_sha256) FROM asset_rendition_files WHERE kind = 'thumbnail' "
                + "AND asset_id IN ('" + a + "', '" + b + "')")).as("the same picture is stored once").isEqualTo(1);
        long hlsBlobs = api.count("SELECT count(*) FROM asset_rendition_files WHERE asset_id = '" + a + "' AND kind = 'hls'");
        assertThat(hlsBlobs).isGreaterThanOrEqualTo(2);

        assertThat(api.send(api.request("/v1/assets/" + a, first).DELETE().build()).statusCode()).isEqualTo(204);
        api.server.runHousekeeping();

        assertThat(api.count("SELECT count(*) FROM asset_renditions WHERE asset_id = '" + a + "'")).isZero();
        assertThat(blobFile(png)).as("still the second account's thumbnail").exists();
        assertThat(api.count("SELECT count(*) FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM assets x WHERE x.sha256 = b.sha256) "
                + "AND NOT EXISTS (SELECT 1 FROM asset_rendition_files f WHERE f.blob_sha256 = b.sha256)")).isZero();

        assertThat(api.send(api.request("/v1/assets/" + b, second).DELETE().build()).statusCode()).isEqualTo(204);
        api.server.runHousekeeping();

        assertThat(blobFile(png)).doesNotExist();
        assertThat(api.count("SELECT count(*) FROM blobs WHERE sha256 = '" + png + "'")).isZero();
    }

    @Test
    void openApiDocumentsTheFlagsTheSubObjectsAndTheEndpoints() {
        JsonNode doc = json(api.get("/openapi.json", null));
        JsonNode paths = doc.get("paths");
        assertThat(paths.get("/v1/assets/upload").get("post").get("parameters").findValuesAsText("name"))
                .contains("enable_thumbnail", "enable_hls");
        JsonNode create = paths.get("/v1/assets").get("post").get("requestBody").get("content");
        for (String type : List.of("multipart/form-data", "application/json")) {
            assertThat(create.get(type).get("schema").get("properties").get("enable_hls").get("type").asText()).isEqualTo("boolean");
        }
        assertThat(paths.get("/v1/assets/{id}/thumbnail").get("get").get("responses").get("200").get("content").has("image/png")).isTrue();
        JsonNode hls = paths.get("/v1/assets/{id}/hls/{file}").get("get").get("responses").get("200").get("content");
        assertThat(hls.has("application/vnd.apple.mpegurl")).isTrue();
        assertThat(hls.has("video/mp2t")).isTrue();
        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.get("Asset").get("properties").get("thumbnail").get("$ref").asText()).isEqualTo("#/components/schemas/Rendition");
        assertThat(schemas.get("Rendition").get("properties").get("status").get("enum").toString()).contains("pending", "error");
        assertThat(schemas.has("Error")).isTrue();
    }

    // ---- helpers

    /** Polls the asset until the rendition reaches {@code status} (failing at once on another final status). */
    private static JsonNode awaitRendition(String key, String id, String kind, String status) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (true) {
            HttpResponse<String> r = api.get("/v1/assets/" + id, key);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode a = json(r);
            assertThat(a.has(kind)).as(kind + " in " + r.body()).isTrue();
            String now = a.get(kind).get("status").asText();
            if (now.equals(status)) {
                return a;
            }
            assertThat(now).as(kind + " of " + r.body()).isIn("pending", "processing");
            assertThat(System.nanoTime()).as("timed out waiting for " + kind + " " + status + ": " + r.body())
                    .isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static HttpResponse<String> postJson(String key, String body) {
        return api.send(api.request("/v1/assets", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<byte[]> getBytes(String path, String key) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(api.request(path, key).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Mean count of drawn (opaque) pixels per column over columns [from, to). */
    private static double meanColumnHeight(BufferedImage image, int from, int to) {
        long drawn = 0;
        for (int x = from; x < to; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                drawn += (image.getRGB(x, y) >>> 24) > 0 ? 1 : 0;
            }
        }
        return drawn / (double) (to - from);
    }

    private static double decodedSeconds(Decoder decoder, Path file, AudioInfo info) throws Exception {
        try (PcmStream pcm = decoder.open(file, info, Duration.ofSeconds(30))) {
            float[] buffer = new float[4096 * info.channels()];
            while (pcm.read(buffer, 4096) >= 0) {
                // drain: the decoder checks every block
            }
            assertThat(pcm.framesRead()).isPositive();
            return pcm.framesRead() / (double) info.sampleRate();
        }
    }

    private static Path blobFile(String sha) {
        return dataDir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
    }

    /** 16-bit PCM WAV; {@code signal} gives each frame's value in [-1, 1] (all channels alike). */
    static byte[] wav(int rate, int channels, double seconds, IntToDoubleFunction signal) {
        int frames = (int) (rate * seconds);
        int bytes = frames * channels * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + bytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(bytes);
        for (int i = 0; i < frames; i++) {
            short v = (short) Math.round(32767 * signal.applyAsDouble(i));
            for (int c = 0; c < channels; c++) {
                b.putShort(v);
            }
        }
        return b.array();
    }

    private static byte[] multipart(String boundary, Map<String, String> fields, byte[] wav) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n")
                .append("Content-Type: audio/wav\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(wav);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
