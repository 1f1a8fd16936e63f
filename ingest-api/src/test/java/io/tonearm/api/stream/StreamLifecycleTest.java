package io.tonearm.api.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream as a stream: events reach the client while the recording is still being analyzed, a client that
 * hangs up stops the work and pays nothing, and the time budget ends a recording that takes too long.
 */
class StreamLifecycleTest {

    /** 20 minutes at 8 kHz: seconds of pitch tracking on this machine, long enough to observe a running stream. */
    static final byte[] LONG_WAV = ApiHarness.wav(3, 20 * 60);

    @TempDir
    static Path dir;
    static ApiHarness api;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dir, c -> c.withStream(new StreamSettings(1, 4, Duration.ofMinutes(2),
                Duration.ofMillis(200))));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    long balance(String key) {
        return json(api.get("/v1/account", key)).get("credits").asLong();
    }

    HttpResponse<InputStream> open(String key, String models, byte[] body) throws Exception {
        HttpResponse<InputStream> r = http.send(api.request("/v1/analysis/stream?models=" + models, key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    /** An event name and when its line arrived. */
    record Arrival(String event, long nanos) {
    }

    @Test
    void eventsArriveAsTheyHappenNotAtTheEnd() throws Exception {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        List<Arrival> arrivals = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(open(key, "pitch,lufs", LONG_WAV).body(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("event: ")) {
                    arrivals.add(new Arrival(line.substring(7), System.nanoTime()));
                } else if (line.startsWith(":")) {
                    comments.add(line);
                }
            }
        }
        assertThat(arrivals).extracting(Arrival::event).containsExactly("started", "completed", "completed", "finished");
        long startedToFinished = arrivals.get(3).nanos() - arrivals.get(0).nanos();
        assertThat(Duration.ofNanos(startedToFinished)).as("started is flushed before the analysis ends")
                .isGreaterThan(Duration.ofMillis(500));
        assertThat(comments).as("heartbeats while the recording is analyzed").isNotEmpty();
        assertThat(balance(key)).isEqualTo(before - 4);
    }

    @Test
    void aClientThatHangsUpStopsTheWorkAndPaysNothing() throws Exception {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = open(key, "pitch,lufs", LONG_WAV);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).startsWith("id: ");
            assertThat(lines.readLine()).isEqualTo("event: started");
        } // closing the body hangs up
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (balance(key) != before && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(balance(key)).as("both models refunded").isEqualTo(before);
        while (!isEmpty(dir.resolve("stream")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(dir.resolve("stream")).as("the worker stopped and deleted the audio").isEmptyDirectory();
        // The single worker is free again at once: a short request does not wait behind the abandoned one.
        long t1 = System.nanoTime();
        HttpResponse<String> next = api.send(api.request("/v1/analysis/stream?models=lufs", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(4, 1))).build());
        assertThat(next.body()).contains("event: completed");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("well under a full analysis of both streams")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theTimeBudgetEndsARecordingThatTakesTooLong(@TempDir Path other) throws Exception {
        try (ApiHarness tight = new ApiHarness(other, c -> c.withStream(new StreamSettings(1, 0, Duration.ofMillis(300),
                Duration.ofMillis(200))))) {
            String key = tight.newKey(Plan.BASIC);
            HttpResponse<String> r = tight.send(tight.request("/v1/analysis/stream?models=pitch,lufs", key)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(LONG_WAV)).build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("event: error", "\"code\":\"timeout\"", "event: finished");
            assertThat(r.body()).doesNotContain("event: completed");
            assertThat(json(tight.get("/v1/account", key)).get("credits").asLong()).as("refunded").isEqualTo(1000);
        }
    }

    @Test
    void whenEveryWorkerIsBusyItIs503WithRetryAfterAndNothingCharged(@TempDir Path other) throws Exception {
        try (ApiHarness single = new ApiHarness(other, c -> c.withStream(new StreamSettings(1, 0, Duration.ofMinutes(2),
                Duration.ofMillis(200))))) {
            String key = single.newKey(Plan.BASIC);
            HttpResponse<InputStream> first = http.send(single.request("/v1/analysis/stream?models=pitch", key)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(LONG_WAV)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8))) {
                assertThat(lines.readLine()).startsWith("id: ");
                assertThat(lines.readLine()).isEqualTo("event: started"); // the only worker has it now
                HttpResponse<String> second = single.send(single.request("/v1/analysis/stream?models=lufs", key)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(5, 1))).build());
                assertThat(second.statusCode()).isEqualTo(503);
                assertThat(json(second).get("error").get("code").asText()).isEqualTo("busy");
                assertThat(second.headers().firstValue("Retry-After")).hasValue("5");
                JsonNode usage = json(single.get("/v1/account", key)).get("credit_usage").get("by_endpoint");
                assertThat(usage.get("analysis/stream:loudness-ebur128").get("credits").asLong())
                        .as("charged and refunded").isZero();
                assertThat(json(single.get("/v1/account", key)).get("credits").asLong()).as("only pitch is held")
                        .isEqualTo(1000 - 2);
            }
        }
    }

    static boolean isEmpty(Path dir) throws Exception {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}
