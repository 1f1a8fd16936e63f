package io.tonearm.launcher.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tonearm.api.ApiConfig;
import io.tonearm.api.ApiMain;
import io.tonearm.api.accounts.Plan;
import io.tonearm.api.webhooks.WebhookSignature;
import io.tonearm.events.Topics;
import io.tonearm.localstack.KafkaServer;
import org.apache.flink.core.execution.JobClient;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.localstack.S3Server;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.blobs.S3BlobStore;
import io.tonearm.sinks.blobs.S3Location;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The processing endpoints end to end, nothing stood in for: the API (outbox relay to the real Kafka broker), the
 * real analysis job on a Flink MiniCluster (Kafka sources, PostgreSQL sinks; search documents discarded, no
 * Elasticsearch), PostgreSQL with the jobs trigger whose NOTIFY wakes the waiting request, a webhook receiver on
 * 127.0.0.1, and blobs in an S3 bucket (the shared S3Proxy): uploads, the recordings the job reads and the stems it
 * writes all go through the object store, as on a cluster. (The other end-to-end tests keep a blob directory.)
 */
class ProcessingEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static ApiMain.Running api;
    static JobClient pipeline;
    static HttpServer receiver;
    static final List<String[]> received = new CopyOnWriteArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();
    static String jdbcUrl;
    static String blobStore;

    @BeforeAll
    static void start() throws Exception {
        PostgresServer pg = LocalStack.shared().postgres();
        jdbcUrl = pg.createDatabase("e2e_" + UUID.randomUUID().toString().substring(0, 8));
        KafkaServer kafka = LocalStack.shared().kafka();
        kafka.createTopics(2, Topics.ASSETS, Topics.REQUESTS, Topics.RESULTS);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            received.add(new String[]{ex.getRequestHeaders().getFirst("Tonearm-Signature"),
                    new String(ex.getRequestBody().readAllBytes())});
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        S3Server s3 = LocalStack.shared().s3();
        s3.createBucket("e2e-blobs");
        blobStore = s3.location("e2e-blobs", "processing");
        // A loaded 2-core machine may need more than the default 10 s for the first request through Kafka and Flink.
        System.setProperty("tonearm.processing.wait-seconds", "40");
        System.setProperty("tonearm.webhooks.poll-ms", "100");
        try {
            api = ApiMain.start(new ApiMain.Settings(dataDir, jdbcUrl, PostgresServer.SUPERUSER, null,
                            kafka.bootstrapServers(), 0, "e2e"),
                    ApiConfig.defaults(dataDir).withUrlAllowList(List.of("127.0.0.1")), blobStore, List.of());
        } finally {
            System.clearProperty("tonearm.processing.wait-seconds");
            System.clearProperty("tonearm.webhooks.poll-ms");
        }
        pipeline = AnalysisJobForTests.start(kafka.bootstrapServers(), "e2e-analysis",
                new PostgresConnection(jdbcUrl, PostgresServer.SUPERUSER, null), blobStore);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.cancel().get(60, TimeUnit.SECONDS);
        if (api != null) api.close();
        if (receiver != null) receiver.stop(0);
    }

    @Test
    void lufsAndPitchAreAnsweredByTheRealPipelineThenFromStoredResultsForAnotherAccount() throws Exception {
        String key = api.server().accounts().createAccount("e2e", Plan.PRO).plainKey();
        HttpResponse<String> hook = send(request("/v1/webhooks", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                        + "/hook\",\"events\":[\"job.succeeded\",\"job.failed\"]}")));
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(201);
        String secret = JSON.readTree(hook.body()).get("secret").asText();

        byte[] wav = wav(440, 2.0);
        long t0 = System.nanoTime();
        HttpResponse<String> lufs = send(request("/v1/lufs?filename=a440.wav", key).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(wav)));
        double firstSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(lufs.statusCode()).as(lufs.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(lufs.body());
        // mono sine, amplitude 0.5: mean square 0.125 (-9.03 dB), -0.691 dB offset, K-weighting +0.03 dB at 440 Hz
        assertThat(body.get("integrated_lufs").asDouble()).isCloseTo(-9.7, within(0.3));
        assertThat(body.get("model_name").asText()).isEqualTo("loudness-ebur128");
        assertThat(body.get("model_version").asText()).isEqualTo("1");
        String assetId = body.get("asset_id").asText();
        assertThat(body.get("asset_expires_at").asText()).isNotBlank();

        HttpResponse<String> pitch = send(request("/v1/pitch", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + assetId + "\"}")));
        assertThat(pitch.statusCode()).as(pitch.body()).isEqualTo(200);
        assertThat(JSON.readTree(pitch.body()).get("median_hz").asDouble()).isCloseTo(440.0, within(2.0));

        HttpResponse<String> keyBpm = send(request("/v1/key-bpm", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + assetId + "\"}")));
        assertThat(keyBpm.statusCode()).as(keyBpm.body()).isEqualTo(200);
        JsonNode kb = JSON.readTree(keyBpm.body());
        assertThat(kb.has("key") && kb.has("mode") && kb.has("tempo")).as(keyBpm.body()).isTrue();
        assertThat(kb.get("model_name").asText()).isEqualTo("key,bpm");
        assertThat(kb.get("models").get("key").get("model_name").asText()).isEqualTo("key");
        assertThat(kb.get("models").get("bpm").get("results").get("tempo").asDouble()).isEqualTo(kb.get("tempo").asDouble());

        long requests = count("SELECT count(*) FROM outbox WHERE topic = '" + Topics.REQUESTS + "'");
        String other = api.server().accounts().createAccount("e2e-other", Plan.BASIC).plainKey();
        long t1 = System.nanoTime();
        HttpResponse<String> cached = send(request("/v1/lufs", other).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(wav)));
        double cachedSeconds = (System.nanoTime() - t1) / 1e9;
        assertThat(cached.statusCode()).as(cached.body()).isEqualTo(200);
        assertThat(JSON.readTree(cached.body()).get("integrated_lufs").asDouble())
                .isEqualTo(body.get("integrated_lufs").asDouble());
        assertThat(JSON.readTree(cached.body()).get("asset_id").asText()).isNotEqualTo(assetId);
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = '" + Topics.REQUESTS + "'"))
                .as("no pipeline work for a stored result").isEqualTo(requests);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(received).as("lufs, pitch and key-bpm succeeded").hasSize(3);
        for (String[] r : received) {
            assertThat(WebhookSignature.verify(secret, r[0], r[1].getBytes(), Instant.now().getEpochSecond(), 300)).isTrue();
            assertThat(JSON.readTree(r[1]).get("type").asText()).isEqualTo("job.succeeded");
        }
        System.out.printf("end to end: first /v1/lufs %.2f s (Kafka + Flink), same bytes for another account %.3f s%n",
                firstSeconds, cachedSeconds);
    }

    @Test
    void aRecordingWhoseOnlyCopyIsInTheBucketIsFetchedByTheJobAndAnalyzed() throws Exception {
        String key = api.server().accounts().createAccount("e2e-s3", Plan.PRO).plainKey();
        byte[] wav = wav(523.25, 1.5);
        HttpResponse<String> upload = send(request("/v1/assets/upload?filename=c5.wav", key).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(wav)));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        JsonNode asset = JSON.readTree(upload.body());
        String sha = asset.get("sha256").asText();
        assertThat(java.nio.file.Files.exists(dataDir.resolve("blobs"))).as("nothing kept in the data dir").isFalse();
        BlobStore bucket = S3BlobStore.builder(S3Location.parse(blobStore, Map.of())).cache(dataDir.resolve("check-cache"), 1 << 20).build();
        try (InputStream in = bucket.open(sha)) {
            assertThat(in.readAllBytes()).as("the bucket holds the upload").isEqualTo(wav);
        }
        // The upload left a local copy in the blob cache this JVM's API and job share; without it the job must download.
        Path localCopy = BlobStores.cacheDir(System.getenv()).resolve(sha);
        java.nio.file.Files.deleteIfExists(localCopy);

        HttpResponse<String> pitch = send(request("/v1/pitch", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + asset.get("id").asText() + "\"}")));

        assertThat(pitch.statusCode()).as(pitch.body()).isEqualTo(200);
        assertThat(JSON.readTree(pitch.body()).get("median_hz").asDouble()).isCloseTo(523.25, within(3.0));
        assertThat(java.nio.file.Files.readAllBytes(localCopy)).as("fetched from the bucket, verified, cached").isEqualTo(wav);
    }

    @Test
    void aQueuedJobStreamsItsStatusesFromThePipelineAndEndsWithItsResult() throws Exception {
        String key = api.server().accounts().createAccount("e2e-sse", Plan.PRO).plainKey();
        HttpResponse<String> queued = send(request("/v1/lufs", key).header("Content-Type", "audio/wav")
                .header("Prefer", "respond-async").header("Idempotency-Key", "sse-1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(wav(330, 1.5))));
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String jobId = JSON.readTree(queued.body()).get("job_id").asText();

        HttpResponse<String> events = http.send(request("/v1/jobs/" + jobId + "/events", key)
                .header("Accept", "text/event-stream").timeout(java.time.Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> statuses = new java.util.ArrayList<>();
        JsonNode last = null;
        for (String line : events.body().split("\n")) {
            if (line.startsWith("data: ")) {
                last = JSON.readTree(line.substring(6));
                statuses.add(last.get("status").asText());
            }
        }
        assertThat(statuses).as(events.body()).endsWith("succeeded");
        assertThat(statuses).isSubsetOf("queued", "running", "succeeded").doesNotHaveDuplicates();
        assertThat(last.at("/result/integrated_lufs").asDouble()).isCloseTo(-9.7, within(0.3));

        HttpResponse<String> replay = send(request("/v1/lufs", key).header("Content-Type", "audio/wav")
                .header("Idempotency-Key", "sse-1").POST(HttpRequest.BodyPublishers.ofByteArray(wav(330, 1.5))));
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).get("job_id").asText()).isEqualTo(jobId);
        JsonNode job = JSON.readTree(send(request("/v1/jobs/" + jobId, key).GET()).body());
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.at("/result/model_name").asText()).isEqualTo("loudness-ebur128");
    }

    @Test
    void twoStemsAreA202JobWhoseStemDownloadsAndDecodesAndAPromptPicksItsStems() throws Exception {
        String key = api.server().accounts().createAccount("e2e-stems", Plan.PRO).plainKey();
        HttpResponse<String> submitted = send(request("/v1/separate/2stem?filename=mix.wav", key)
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(wav(330, 2.0))));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String jobId = JSON.readTree(submitted.body()).get("job_id").asText();
        String assetId = JSON.readTree(submitted.body()).get("asset_id").asText();
        JsonNode job = awaitJob(jobId, key);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/result/stems").size()).isEqualTo(2);
        JsonNode vocals = null;
        for (JsonNode o : job.get("outputs")) if (o.get("name").asText().equals("vocals.wav")) vocals = o;
        assertThat(vocals).as(job.toString()).isNotNull();

        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(vocals.get("url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body().length).isEqualTo(vocals.get("size_bytes").asInt());
        Path stem = dataDir.resolve("downloaded-vocals.wav");
        java.nio.file.Files.write(stem, download.body());
        io.tonearm.analysis.decode.AudioInfo info = io.tonearm.analysis.decode.Decoders.standard().probe(stem);
        assertThat(info.sampleRate()).isEqualTo(22050);
        assertThat(info.durationSeconds()).isCloseTo(2.0, within(0.01));

        HttpResponse<String> unknown = send(request("/v1/queue/audio/separate", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"asset_id\":\"" + assetId + "\",\"prompt\":\"add reverb\"}}")));
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
        HttpResponse<String> queued = send(request("/v1/queue/audio/separate", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"asset_id\":\"" + assetId
                        + "\",\"prompt\":\"karaoke version please\"}}")));
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        JsonNode prompted = awaitJob(JSON.readTree(queued.body()).get("job_id").asText(), key);
        assertThat(prompted.get("status").asText()).as(prompted.toString()).isEqualTo("succeeded");
        assertThat(prompted.at("/result/prompt_stems").toString()).isEqualTo("[\"instrumental\"]");
        assertThat(prompted.get("outputs").size()).as("the stems computed once, listed for this job too").isEqualTo(2);
    }

    private static JsonNode awaitJob(String jobId, String key) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            JsonNode job = JSON.readTree(send(request("/v1/jobs/" + jobId, key).GET()).body());
            String status = job.get("status").asText();
            if (!status.equals("queued") && !status.equals("running") || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(250);
        }
    }

    private static HttpRequest.Builder request(String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + api.server().port() + path))
                .header("Authorization", "Bearer " + key);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String sql) {
        return api.db().withConnection(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** 16-bit mono WAV at 22050 Hz: a sine of amplitude 0.5. */
    private static byte[] wav(double hz, double seconds) {
        int rate = 22050;
        int n = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        return b.array();
    }
}
