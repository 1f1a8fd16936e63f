package io.tonearm.api.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tonearm.api.ApiHarness;
import io.tonearm.api.PipelineStandIn;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.http.Json;
import io.tonearm.events.AnalysisRequested;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks against a real API and PostgreSQL and a real HTTP receiver on 127.0.0.1 (allow-listed, as an operator
 * would allow an internal host): signatures, retries with backoff, the delivery log.
 */
class WebhooksApiTest {

    /** What the receiver got: one entry per attempt. */
    record Received(String signature, String eventId, String eventType, byte[] body, long atMillis) {
    }

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static PipelineStandIn pipeline;
    static HttpServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    static final AtomicInteger failuresLeft = new AtomicInteger();
    static int seed = 900;

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("Tonearm-Signature"),
                    exchange.getRequestHeaders().getFirst("Tonearm-Event-Id"),
                    exchange.getRequestHeaders().getFirst("Tonearm-Event-Type"), body, System.currentTimeMillis()));
            int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        System.setProperty("tonearm.webhooks.backoff-ms", "300");
        System.setProperty("tonearm.webhooks.poll-ms", "100");
        System.setProperty("tonearm.webhooks.max-attempts", "4");
        try {
            api = new ApiHarness(dataDir, c -> c.withUrlAllowList(List.of("127.0.0.1")));
        } finally {
            System.clearProperty("tonearm.webhooks.backoff-ms");
            System.clearProperty("tonearm.webhooks.poll-ms");
            System.clearProperty("tonearm.webhooks.max-attempts");
        }
        pipeline = new PipelineStandIn(api.db);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        receiver.stop(0);
    }

    @Test
    void aJobEventIsSignedRetriedWithBackoffUntilAcceptedAndLogged() throws Exception {
        String key = api.newKey(Plan.PRO);
        JsonNode hook = create(key, url(), "job.succeeded", "job.failed");
        String secret = hook.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        received.clear();
        failuresLeft.set(2);

        String jobId = queue(key);
        AnalysisRequested request = pipeline.newRequests().stream()
                .filter(r -> r.requestId().toString().equals(jobId)).findFirst().orElseThrow();
        pipeline.complete(request);

        await(() -> received.size() >= 3);
        Thread.sleep(500);
        assertThat(received).as("queued and running are not subscribed; succeeded sent 3 times").hasSize(3);
        long now = Instant.now().getEpochSecond();
        for (Received r : received) {
            assertThat(WebhookSignature.verify(secret, r.signature(), r.body(), now, 300)).as(r.signature()).isTrue();
            assertThat(WebhookSignature.verify("whsec_wrong", r.signature(), r.body(), now, 300)).isFalse();
            assertThat(r.eventType()).isEqualTo("job.succeeded");
        }
        assertThat(received).extracting(Received::eventId).containsOnly(received.get(0).eventId());
        JsonNode event = Json.mapper().readTree(received.get(0).body());
        assertThat(event.get("id").asText()).isEqualTo(received.get(0).eventId());
        assertThat(event.get("type").asText()).isEqualTo("job.succeeded");
        assertThat(event.at("/data/job_id").asText()).isEqualTo(jobId);
        assertThat(event.at("/data/status").asText()).isEqualTo("succeeded");
        long gap1 = received.get(1).atMillis() - received.get(0).atMillis();
        long gap2 = received.get(2).atMillis() - received.get(1).atMillis();
        assertThat(gap1).as("first retry after the 300 ms base").isGreaterThanOrEqualTo(280);
        assertThat(gap2).as("second retry after twice that").isGreaterThanOrEqualTo(580);

        JsonNode log = json(api.get("/v1/webhooks/" + hook.get("id").asText() + "/deliveries", key)).get("items");
        assertThat(log).hasSize(1);
        JsonNode delivery = log.get(0);
        assertThat(delivery.get("status").asText()).isEqualTo("succeeded");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.get("event_type").asText()).isEqualTo("job.succeeded");
        assertThat(delivery.get("attempt_log")).hasSize(3);
        assertThat(delivery.get("attempt_log").get(0).get("status_code").asInt()).isEqualTo(500);
        assertThat(delivery.get("attempt_log").get(1).get("status_code").asInt()).isEqualTo(500);
        assertThat(delivery.get("attempt_log").get(2).get("status_code").asInt()).isEqualTo(204);
    }

    @Test
    void aDeliveryIsGivenUpAfterTheLastAttempt() throws Exception {
        String key = api.newKey(Plan.PRO);
        JsonNode hook = create(key, url(), "*");
        received.clear();
        failuresLeft.set(100);
        String jobId = queue(key);
        await(() -> received.size() >= 4);
        JsonNode log = json(api.get("/v1/webhooks/" + hook.get("id").asText() + "/deliveries", key)).get("items");
        await(() -> json(api.get("/v1/webhooks/" + hook.get("id").asText() + "/deliveries", key)).get("items").get(0)
                .get("status").asText().equals("failed"));
        log = json(api.get("/v1/webhooks/" + hook.get("id").asText() + "/deliveries", key)).get("items");
        assertThat(log.get(0).get("event_type").asText()).isEqualTo("job.queued");
        assertThat(log.get(0).get("attempts").asInt()).isEqualTo(4);
        assertThat(log.get(0).get("last_error").asText()).contains("500");
        failuresLeft.set(0);
        assertThat(jobId).isNotBlank();
        pipeline.newRequests();
    }

    @Test
    void webhooksAreListedWithoutTheirSecretDeletedAndPrivateToTheAccount() {
        String key = api.newKey(Plan.PRO);
        String other = api.newKey(Plan.PRO);
        JsonNode hook = create(key, url(), "job.failed");
        String id = hook.get("id").asText();
        JsonNode listed = json(api.get("/v1/webhooks", key)).get("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("secret")).isFalse();
        assertThat(json(api.get("/v1/webhooks/" + id, key)).get("events").get(0).asText()).isEqualTo("job.failed");
        assertThat(api.get("/v1/webhooks/" + id, other).statusCode()).isEqualTo(404);
        assertThat(api.get("/v1/webhooks/" + id + "/deliveries", other).statusCode()).isEqualTo(404);
        assertThat(api.send(api.request("/v1/webhooks/" + id, other).DELETE().build()).statusCode()).isEqualTo(404);
        assertThat(api.send(api.request("/v1/webhooks/" + id, key).DELETE().build()).statusCode()).isEqualTo(204);
        assertThat(api.get("/v1/webhooks/" + id, key).statusCode()).isEqualTo(404);
        assertThat(json(api.get("/v1/webhooks", key)).get("items")).isEmpty();
    }

    @Test
    void destinationsObeyTheUrlImportRulesAndEventsAreChecked() {
        String key = api.newKey(Plan.PRO);
        for (String bad : List.of("http://169.254.169.254/latest", "http://10.0.0.1/hook", "http://[::1]/hook",
                "ftp://example.com/x", "not a url")) {
            HttpResponse<String> r = post(key, Map.of("url", bad, "events", List.of("job.succeeded")));
            assertThat(r.statusCode()).as(bad + " " + r.body()).isBetween(400, 499);
        }
        assertThat(post(key, Map.of("url", url(), "events", List.of("job.exploded"))).statusCode()).isEqualTo(400);
        assertThat(post(key, Map.of("url", url(), "events", List.of())).statusCode()).isEqualTo(400);
    }

    // ---- helpers

    private static String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static JsonNode create(String key, String url, String... events) {
        HttpResponse<String> r = post(key, Map.of("url", url, "events", List.of(events)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    private static HttpResponse<String> post(String key, Map<String, Object> body) {
        try {
            return api.send(api.request("/v1/webhooks", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String queue(String key) {
        HttpResponse<String> r = api.send(api.request("/v1/pitch", key).header("Content-Type", "audio/wav")
                .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(seed++, 0.5))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("job_id").asText();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; received " + received.size());
            }
            Thread.sleep(50);
        }
    }
}
