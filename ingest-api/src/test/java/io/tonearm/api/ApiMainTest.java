package io.tonearm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.accounts.Plan;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;
import io.tonearm.events.Topics;
import io.tonearm.localstack.PostgresServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(metrics).contains("tonearm_outbox_published_total 1").contains("tonearm_outbox_unpublished 0.0");
        }
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
