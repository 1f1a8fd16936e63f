package io.tonearm.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiHarness;
import io.tonearm.api.PipelineStandIn;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.http.Json;
import io.tonearm.events.AnalysisRequested;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/jobs} against a real API and PostgreSQL; job transitions written with the pipeline's sink statements. */
class JobsApiTest {

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static PipelineStandIn pipeline;
    static int seed = 500;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dataDir, c -> c);
        pipeline = new PipelineStandIn(api.db);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void aJobIsOnlyVisibleToItsAccount() {
        String owner = api.newKey(Plan.PRO);
        String other = api.newKey(Plan.PRO);
        String id = queue(owner);
        JsonNode job = json(api.get("/v1/jobs/" + id, owner));
        assertThat(job.get("job_id").asText()).isEqualTo(id);
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("kind").asText()).isEqualTo("pitch");
        assertThat(job.get("asset_id").asText()).isNotBlank();
        assertThat(job.get("created_at").asText()).isNotBlank();
        assertThat(job.get("updated_at").asText()).isNotBlank();
        assertThat(job.get("outputs").isArray()).isTrue();
        assertThat(job.has("result") && job.has("error")).isTrue();

        assertThat(api.get("/v1/jobs/" + id, other).statusCode()).isEqualTo(404);
        assertThat(api.get("/v1/jobs/not-a-uuid", owner).statusCode()).isEqualTo(404);
        assertThat(send(api.request("/v1/jobs/" + id + "/cancel", other).POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(404);
        assertThat(json(api.get("/v1/jobs", other)).get("items")).isEmpty();
        assertThat(api.get("/v1/jobs/" + id + "/events", other).statusCode()).isEqualTo(404);
    }

    @Test
    void listFiltersByStatusKindAndAssetAndPagesWithACursor() throws Exception {
        String key = api.newKey(Plan.PRO);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(queue(key));
        }
        List<AnalysisRequested> requests = pipeline.newRequests();
        pipeline.complete(requests.get(requests.size() - 1));

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(api.get("/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), key));
            page.get("items").forEach(j -> seen.add(j.get("job_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pages).isEqualTo(3);

        JsonNode succeeded = json(api.get("/v1/jobs?status=succeeded", key));
        assertThat(succeeded.get("items")).hasSize(1);
        assertThat(succeeded.get("items").get(0).get("job_id").asText()).isEqualTo(ids.get(4));
        assertThat(succeeded.get("items").get(0).get("result").has("model_name")).isTrue();
        assertThat(json(api.get("/v1/jobs?status=queued&kind=pitch", key)).get("items")).hasSize(4);
        assertThat(json(api.get("/v1/jobs?kind=lufs", key)).get("items")).isEmpty();
        String assetId = json(api.get("/v1/jobs/" + ids.get(0), key)).get("asset_id").asText();
        JsonNode byAsset = json(api.get("/v1/jobs?asset_id=" + assetId, key));
        assertThat(byAsset.get("items")).hasSize(1);
        assertThat(api.get("/v1/jobs?status=done", key).statusCode()).isEqualTo(400);
        assertThat(api.get("/v1/jobs?limit=0", key).statusCode()).isEqualTo(400);
        assertThat(api.get("/v1/jobs?cursor=garbage", key).statusCode()).isEqualTo(400);
    }

    @Test
    void aQueuedJobCanBeCancelledButNotOnceItStarted() {
        String key = api.newKey(Plan.PRO);
        String id = queue(key);
        HttpResponse<String> cancelled = cancel(id, key);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(json(cancelled).get("status").asText()).isEqualTo("cancelled");
        assertThat(cancel(id, key).statusCode()).isEqualTo(409);

        // The pipeline's later transitions cannot revive it: statuses only move forward.
        pipeline.markRunning(requestFor(id));
        assertThat(json(api.get("/v1/jobs/" + id, key)).get("status").asText()).isEqualTo("cancelled");

        String running = queue(key);
        pipeline.markRunning(requestFor(running));
        HttpResponse<String> tooLate = cancel(running, key);
        assertThat(tooLate.statusCode()).isEqualTo(409);
        assertThat(json(tooLate).at("/error/code").asText()).isEqualTo("job_not_cancellable");
    }

    @Test
    void eventsStreamEveryStatusInOrderAndEndAtTheTerminalOne() throws Exception {
        String key = api.newKey(Plan.PRO);
        String id = queue(key);
        AnalysisRequested request = requestFor(id);
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Void>> stream = HttpClient.newHttpClient().sendAsync(
                api.request("/v1/jobs/" + id + "/events", key).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new LineCollector(lines)));
        awaitLine(lines, "event: status");
        pipeline.markRunning(request);
        awaitCount(lines, "event: status", 2);
        pipeline.complete(request);
        HttpResponse<Void> response = stream.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);

        List<String> statuses = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("data: ")) {
                statuses.add(Json.mapper().readTree(line.substring(6)).get("status").asText());
            }
        }
        assertThat(statuses).containsExactly("queued", "running", "succeeded");
        JsonNode last = null;
        for (String line : lines) {
            if (line.startsWith("data: ")) {
                last = Json.mapper().readTree(line.substring(6));
            }
        }
        assertThat(last.get("result").get("model_name").asText()).isEqualTo("pitch");
        assertThat(lines).contains("id: succeeded");

        HttpResponse<String> plain = api.get("/v1/jobs/" + id + "/events", key);
        assertThat(plain.statusCode()).isEqualTo(406);
    }

    @Test
    void aStreamOfAFinishedJobSendsItsLastStatusAndEnds() throws Exception {
        String key = api.newKey(Plan.PRO);
        String id = queue(key);
        cancel(id, key);
        HttpResponse<String> r = api.send(api.request("/v1/jobs/" + id + "/events", key)
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET().build());
        assertThat(r.body()).contains("event: status").contains("\"status\":\"cancelled\"");
        pipeline.newRequests();
    }

    // ---- helpers

    private static String queue(String key) {
        HttpResponse<String> r = api.send(api.request("/v1/pitch", key).header("Content-Type", "audio/wav")
                .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(seed++, 0.5))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("job_id").asText();
    }

    private static AnalysisRequested requestFor(String jobId) {
        return pipeline.newRequests().stream().filter(r -> r.requestId().toString().equals(jobId)).findFirst().orElseThrow();
    }

    private static HttpResponse<String> cancel(String id, String key) {
        return send(api.request("/v1/jobs/" + id + "/cancel", key).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        return api.send(b.build());
    }

    private static void awaitLine(List<String> lines, String line) throws InterruptedException {
        awaitCount(lines, line, 1);
    }

    private static void awaitCount(List<String> lines, String line, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lines.stream().filter(line::equals).count() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + n + " × '" + line + "' in " + lines);
            }
            Thread.sleep(20);
        }
    }

    private static final class LineCollector implements java.util.concurrent.Flow.Subscriber<String> {
        private final List<String> lines;

        LineCollector(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String item) {
            lines.add(item);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }
}
