package io.tonearm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;
import io.tonearm.events.Topics;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.localstack.S3Server;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.S3BlobStore;
import io.tonearm.sinks.blobs.S3Location;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A whole replica as {@code tonearm up} starts it: an upload's event reaches Kafka through outbox and relay. */
class ApiMainTest {

    @Test
    void anUploadIsAnnouncedOnTheAssetsTopicExactlyOnce(@TempDir Path dir) throws Exception {
        String db = "main_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String jdbc = TestStack.postgres().createDatabase(db);
        String bootstrap = TestStack.kafka().bootstrapServers();
        TestStack.kafka().createTopics(3, Topics.ASSETS);
        ApiMain.Settings settings = new ApiMain.Settings(dir, jdbc, PostgresServer.SUPERUSER, null, bootstrap, 0,
                "main-test-" + db);
        HttpClient http = HttpClient.newHttpClient();
        try (ApiMain.Running running = ApiMain.start(settings, ApiConfig.defaults(dir))) {
            String base = "http://localhost:" + running.server().port();
            String key = running.server().accounts().createAccount("label", Plan.PRO).plainKey();

            HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/assets/upload?filename=a.wav"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "audio/wav")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(41, 0.3))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            JsonNode asset = ApiHarness.json(upload);

            List<AssetEvent> events = consumeFor(bootstrap, asset.get("sha256").asText(), Duration.ofSeconds(30));
            assertThat(events).hasSize(1);
            AssetEvent e = events.get(0);
            assertThat(e.type()).isEqualTo(AssetEvent.Type.CREATED);
            assertThat(e.assetId().toString()).isEqualTo(asset.get("id").asText());
            assertThat(e.filename()).isEqualTo("a.wav");
            assertThat(e.blobLocation()).startsWith("file:").endsWith(e.sha256());

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ApiHarness.json(health).get("checks").get("kafka").asText()).isEqualTo("up");
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("tonearm_outbox_published_total 1").contains("tonearm_outbox_batches_total 1")
                    .contains("tonearm_outbox_unpublished 0.0");
        }
    }

    @Test
    void withAnS3LocationTheUploadLandsInTheBucketAndItsEventNamesTheObject(@TempDir Path dir) throws Exception {
        S3Server s3 = LocalStack.shared().s3();
        s3.createBucket("api-blobs");
        String location = s3.location("api-blobs", "uploads");
        String db = "main_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String bootstrap = TestStack.kafka().bootstrapServers();
        TestStack.kafka().createTopics(3, Topics.ASSETS);
        ApiMain.Settings settings = new ApiMain.Settings(dir, TestStack.postgres().createDatabase(db), PostgresServer.SUPERUSER,
                null, bootstrap, 0, "main-test-" + db);
        HttpClient http = HttpClient.newHttpClient();
        byte[] wav = ApiHarness.wav(43, 0.3);
        try (ApiMain.Running running = ApiMain.start(settings, ApiConfig.defaults(dir), location, List.of())) {
            String base = "http://localhost:" + running.server().port();
            String key = running.server().accounts().createAccount("label", Plan.PRO).plainKey();

            HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/assets/upload?filename=a.wav"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "audio/wav")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(wav)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            String sha = ApiHarness.json(upload).get("sha256").asText();

            List<AssetEvent> events = consumeFor(bootstrap, sha, Duration.ofSeconds(30));
            assertThat(events).hasSize(1);
            assertThat(events.get(0).blobLocation()).isEqualTo("s3://api-blobs/uploads/" + sha);
            BlobStore bucket = S3BlobStore.builder(S3Location.parse(location, Map.of())).cache(dir.resolve("check-cache"), 1 << 20).build();
            try (InputStream in = bucket.open(sha)) {
                assertThat(in.readAllBytes()).as("the bucket holds the uploaded bytes").isEqualTo(wav);
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ApiHarness.json(health).get("checks").get("blob_store").asText()).isEqualTo("up");
        }
    }

    @Test
    void aBlobStoreLocationThatCannotWorkStopsTheStartAndAMissingBucketShowsInHealth(@TempDir Path dir) throws Exception {
        ApiMain.Settings settings = new ApiMain.Settings(dir, TestStack.postgres().createDatabase("main_bad_" + UUID.randomUUID()
                .toString().replace("-", "").substring(0, 8)), PostgresServer.SUPERUSER, null, null, 0, "main-test-bad");
        for (String bad : List.of("ftp://files.example.com/blobs", "s3://user:secret@bucket/p", "s3://bucket/p?endpoint=file:///etc")) {
            assertThatThrownBy(() -> ApiMain.start(settings, ApiConfig.defaults(dir), bad, List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid blob store location")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret@"));
        }
        String missingBucket = LocalStack.shared().s3().location("no-such-bucket", "p");
        try (ApiMain.Running running = ApiMain.start(settings, ApiConfig.defaults(dir), missingBucket, List.of())) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + running.server().port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(ApiHarness.json(health).get("checks").get("blob_store").asText()).isEqualTo("down");
        }
    }

    @Test
    void theBlobStoreComesFromTonearmBlobStoreOrItsOlderNameOrTheDataDir() {
        Path data = Path.of("/srv/tonearm");
        assertThat(ApiMain.blobStoreLocation(Map.of("TONEARM_BLOB_STORE", "s3://b/p", "TONEARM_BLOB_DIR", "/x"), data)).isEqualTo("s3://b/p");
        assertThat(ApiMain.blobStoreLocation(Map.of("TONEARM_BLOB_DIR", "/x"), data)).isEqualTo("/x");
        assertThat(ApiMain.blobStoreLocation(Map.of("TONEARM_BLOB_STORE", " "), data)).isEqualTo("/srv/tonearm/blobs");
    }

    /** Reads the assets topic (read_committed) until an event for {@code sha256} arrived, then 2 s more. */
    private static List<AssetEvent> consumeFor(String bootstrap, String sha256, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<AssetEvent> found = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ASSETS));
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(sha256)) {
                        found.add(EventCodec.decodeAssetEvent(r.value()));
                        end = Math.min(end, System.nanoTime() + Duration.ofSeconds(2).toNanos());
                    }
                }
            }
        }
        return found;
    }
}
