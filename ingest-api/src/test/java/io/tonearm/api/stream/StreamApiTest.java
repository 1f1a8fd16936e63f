package io.tonearm.api.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.api.ApiHarness;
import io.tonearm.api.UnknownLengthAudio;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.api.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code POST /v1/analysis/stream} over real HTTP against the API on a random port and a real PostgreSQL. */
class StreamApiTest {

    /** One parsed Server-Sent Event. */
    record Sse(String event, JsonNode data) {
    }

    @TempDir
    static Path dir;
    static ApiHarness api;
    static HttpServer audioHost;
    static final byte[] WAV = ApiHarness.wav(0, 3.0); // 220 Hz sine, 8 kHz mono, peak 8000/32768

    @BeforeAll
    static void start() throws IOException {
        api = new ApiHarness(dir, c -> c.withUrlAllowList(List.of("127.0.0.1"))
                .withCredits(CreditPolicy.defaults().withMonthlyAllowance(Plan.PRO, 3)));
        audioHost = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        audioHost.createContext("/tone.wav", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "audio/wav");
            exchange.sendResponseHeaders(200, WAV.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(WAV);
            }
        });
        audioHost.start();
    }

    @AfterAll
    static void stop() throws Exception {
        audioHost.stop(0);
        api.close();
    }

    static HttpRequest.Builder stream(String query, String key) {
        return api.request("/v1/analysis/stream?" + query, key);
    }

    static HttpResponse<String> post(HttpRequest.Builder request, byte[] body) {
        return api.send(request.POST(body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static List<Sse> events(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        List<Sse> out = new ArrayList<>();
        for (String frame : response.body().split("\n\n")) {
            String event = null;
            String data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (event != null) {
                try {
                    out.add(new Sse(event, Json.mapper().readTree(data)));
                } catch (IOException e) {
                    throw new AssertionError("bad data in " + frame, e);
                }
            }
        }
        return out;
    }

    long balance(String key) {
        return json(api.get("/v1/account", key)).get("credits").asLong();
    }

    @Test
    void eachModelIsOneCompletedEventBetweenStartedAndFinished() {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        List<Sse> events = events(post(stream("models=loudness-ebur128,pitch:1,waveform", key)
                .header("filename", "tone.wav"), WAV));

        assertThat(events).extracting(Sse::event)
                .containsExactly("started", "completed", "completed", "completed", "finished");
        JsonNode started = events.get(0).data();
        assertThat(started.get("total_models").asInt()).isEqualTo(3);
        assertThat(started.get("filename").asText()).isEqualTo("tone.wav");
        String correlation = started.get("correlation_id").asText();
        assertThat(events.subList(1, 4)).extracting(e -> e.data().get("result").get("model_name").asText())
                .containsExactlyInAnyOrder("loudness-ebur128", "pitch", "waveform");
        for (Sse e : events.subList(1, 4)) {
            JsonNode result = e.data().get("result");
            assertThat(result.get("model_version").asText()).isEqualTo("1");
            assertThat(result.get("correlation_id").asText()).isEqualTo(correlation);
            JsonNode r = result.get("results");
            switch (result.get("model_name").asText()) {
                // A sine of RMS 0.1726 (-15.26 dBFS): -0.691 + 20 log10(0.1726) ≈ -15.95 LUFS, K-weighting ~0 dB at 220 Hz.
                case "loudness-ebur128" -> assertThat(r.get("integrated_lufs").asDouble()).isCloseTo(-15.95, within(0.5));
                case "pitch" -> assertThat(r.get("median_hz").asDouble()).isCloseTo(220.0, within(2.0));
                case "waveform" -> assertThat(r.get("duration").asDouble()).isCloseTo(3.0, within(0.01));
                default -> throw new AssertionError(result);
            }
        }
        JsonNode finished = events.get(4).data();
        assertThat(finished.get("total_models").asInt()).isEqualTo(3);
        assertThat(finished.get("completed").asInt()).isEqualTo(3);

        assertThat(balance(key)).as("three models at 2 credits").isEqualTo(before - 6);
        JsonNode usage = json(api.get("/v1/account", key)).get("credit_usage");
        assertThat(usage.get("period").asText()).isEqualTo(java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString());
        assertThat(usage.get("monthly_allowance").asLong()).isEqualTo(1000);
        assertThat(usage.get("charged").asLong()).isEqualTo(6);
        assertThat(usage.get("by_endpoint").get("analysis/stream:loudness-ebur128").get("credits").asLong()).isEqualTo(2);
        assertThat(api.count("SELECT count(*) FROM assets")).as("nothing stored").isZero();
        assertThat(dir.resolve("stream")).as("the audio is deleted").isEmptyDirectory();
    }

    @Test
    void aFailingModelIsAnErrorEventWhileTheOthersCompleteAndItIsRefunded() {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        // min_hz above max_hz passes each parameter's range but fails the analyzer when it starts.
        List<Sse> events = events(post(stream("models=lufs,pitch&pitch.min_hz=900&pitch.max_hz=500", key), WAV));
        assertThat(events).extracting(Sse::event).containsExactly("started", "completed", "error", "finished");
        assertThat(events.get(1).data().get("result").get("model_name").asText()).isEqualTo("loudness-ebur128");
        JsonNode error = events.get(2).data();
        assertThat(error.get("model_name").asText()).isEqualTo("pitch");
        assertThat(error.get("error").get("code").asText()).isEqualTo("analyzer_failed");
        assertThat(error.get("error").get("message").asText()).contains("min_hz");
        assertThat(events.get(3).data().get("completed").asInt()).isEqualTo(1);
        assertThat(events.get(3).data().get("failed").asInt()).isEqualTo(1);
        assertThat(balance(key)).as("only the model that completed is paid").isEqualTo(before - 2);
    }

    @Test
    void crepeWithoutItsModelFailsOnlyThatModel() {
        assumeTrue(ModelStore.configuredDir().isEmpty(), "a models directory is configured: crepe would run");
        String key = api.newKey(Plan.BASIC);
        List<Sse> events = events(post(stream("models=pitch,waveform&pitch.method=crepe", key), WAV));
        assertThat(events).extracting(Sse::event).containsExactly("started", "error", "completed", "finished");
        assertThat(events.get(1).data().get("model_name").asText()).isEqualTo("pitch");
        assertThat(events.get(1).data().get("error").get("message").asText()).containsIgnoringCase("model");
        assertThat(events.get(2).data().get("result").get("model_name").asText()).isEqualTo("waveform");
    }

    @Test
    void anUndecodableBodyIsOneErrorThenFinishedAndCostsNothing() {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        List<Sse> events = events(post(stream("models=lufs,pitch", key), "this is not audio at all\n".repeat(200).getBytes()));
        assertThat(events).extracting(Sse::event).containsExactly("started", "error", "finished");
        JsonNode error = events.get(1).data();
        assertThat(error.get("error").get("code").asText()).startsWith("undecodable_audio.");
        assertThat(error.get("model_name").isNull()).isTrue();
        assertThat(events.get(2).data().get("completed").asInt()).isZero();
        assertThat(balance(key)).isEqualTo(before);
    }

    @Test
    void bodyAndHeaderTogetherOrNeitherAre400() {
        String key = api.newKey(Plan.BASIC);
        HttpResponse<String> both = post(stream("models=lufs", key).header("audio-url", "http://127.0.0.1:1/x.wav"), WAV);
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(json(both).get("error").get("code").asText()).isEqualTo("ambiguous_audio");
        HttpResponse<String> neither = post(stream("models=lufs", key), null);
        assertThat(neither.statusCode()).isEqualTo(400);
        assertThat(json(neither).get("error").get("code").asText()).isEqualTo("missing_audio");
    }

    @Test
    void aChunkedBodyOfUnknownLengthIsAcceptedAndCountsAsABody() {
        String key = api.newKey(Plan.BASIC);
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(WAV));
        List<Sse> events = events(api.send(stream("models=lufs", key).POST(chunked).build()));
        assertThat(events).extracting(Sse::event).containsExactly("started", "completed", "finished");
        HttpResponse<String> both = api.send(stream("models=lufs", key).header("audio-url", "http://127.0.0.1:1/x.wav")
                .POST(chunked).build());
        assertThat(both.statusCode()).isEqualTo(400);
    }

    @Test
    void anUnknownModelIs422ListingWhatExists() {
        String key = api.newKey(Plan.BASIC);
        HttpResponse<String> r = post(stream("models=lufs,tempo-magic", key), WAV);
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode error = json(r).get("error");
        assertThat(error.get("code").asText()).isEqualTo("unknown_model");
        assertThat(error.get("message").asText()).contains("tempo-magic", "loudness-ebur128", "pitch", "waveform");
        HttpResponse<String> badParam = post(stream("models=pitch&pitch.method=magic", key), WAV);
        assertThat(badParam.statusCode()).isEqualTo(422);
        assertThat(json(badParam).get("error").get("code").asText()).isEqualTo("invalid_parameter");
    }

    @Test
    void theAudioUrlIsFetchedFromAnAllowListedHost() {
        String key = api.newKey(Plan.BASIC);
        String url = "http://127.0.0.1:" + audioHost.getAddress().getPort() + "/tone.wav";
        List<Sse> events = events(post(stream("models=lufs", key).header("audio-url", url), null));
        assertThat(events).extracting(Sse::event).containsExactly("started", "completed", "finished");
        assertThat(events.get(1).data().get("result").get("results").get("integrated_lufs").asDouble())
                .isCloseTo(-15.95, within(0.5));
    }

    @Test
    void anAudioUrlToAForbiddenAddressIsRefusedWithTheFetchersCode() {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        HttpResponse<String> r = post(stream("models=lufs", key).header("audio-url", "http://169.254.169.254/latest/meta-data"), null);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("url_forbidden");
        HttpResponse<String> scheme = post(stream("models=lufs", key).header("audio-url", "file:///etc/passwd"), null);
        assertThat(scheme.statusCode()).isEqualTo(400);
        assertThat(json(scheme).get("error").get("code").asText()).isEqualTo("bad_url");
        assertThat(balance(key)).isEqualTo(before);
    }

    @Test
    void withoutCreditsItIs402AndNothingRuns() {
        String key = api.newKey(Plan.PRO); // this test's policy grants PRO 3 credits a month
        HttpResponse<String> r = post(stream("models=lufs,pitch", key), WAV);
        assertThat(r.statusCode()).isEqualTo(402);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("insufficient_credits");
        assertThat(json(r).get("error").get("message").asText()).contains("4 credits", "balance is 3");
        assertThat(balance(key)).isEqualTo(3);
        assertThat(events(post(stream("models=lufs", key), WAV))).extracting(Sse::event)
                .containsExactly("started", "completed", "finished");
        assertThat(balance(key)).isEqualTo(1);
        assertThat(post(stream("models=lufs", key), WAV).statusCode()).isEqualTo(402);
    }

    @Test
    void modelsWhoseResultIsFilesAre400NamingTheirJobAndCostNothing() {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        for (String[] model : new String[][]{{"master", "POST /v1/master"}, {"separate-2stem", "POST /v1/separate/2stem"},
                {"separate-4stem", "POST /v1/separate/4stem"}}) {
            HttpResponse<String> r = post(stream("models=lufs," + model[0], key), WAV);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).get("error").get("code").asText()).isEqualTo("model_not_streamable");
            assertThat(json(r).get("error").get("message").asText()).contains(model[0], model[1]);
        }
        assertThat(balance(key)).isEqualTo(before);
        assertThat(api.count("SELECT count(*) FROM credit_ledger WHERE endpoint LIKE 'analysis/stream:%' "
                + "AND (endpoint LIKE '%master' OR endpoint LIKE '%stem')")).isZero();
    }

    /** transcribe runs on the stream (its notes, no MIDI file) and costs what POST /v1/transcribe costs: 10 a started minute. */
    @Test
    void aPerMinuteModelIsChargedByTheProbedDurationAsItsJobIs() {
        String key = api.newKey(Plan.BASIC);
        UUID account = accountId(key);
        long before = balance(key);
        byte[] minuteAndASecond = ApiHarness.wav(5, 61.0);
        List<Sse> events = events(post(stream("models=lufs,transcribe", key), minuteAndASecond));
        assertThat(events.get(0).event()).isEqualTo("started");
        assertThat(events.get(events.size() - 1).event()).isEqualTo("finished");
        assertThat(api.count("SELECT -amount FROM credit_ledger WHERE kind = 'charge' AND account_id = '" + account
                + "' AND endpoint = 'analysis/stream:transcribe'")).as("two started minutes at 10").isEqualTo(20);
        boolean transcribed = events.stream().anyMatch(e -> e.event().equals("completed")
                && e.data().at("/result/model_name").asText().equals("transcribe"));
        // Without the Basic Pitch model installed transcribe fails on the stream and is refunded, as any failed model.
        assertThat(balance(key)).isEqualTo(before - 2 - (transcribed ? 20 : 0));
        assertThat(dir.resolve("stream")).as("the audio is deleted").isEmptyDirectory();
    }

    @Test
    void aPerMinuteModelTheBalanceDoesNotCoverIs402NamingTheDurationAndNothingRuns() {
        String key = api.newKey(Plan.PRO); // this test's policy grants PRO 3 credits a month
        HttpResponse<String> early = post(stream("models=transcribe", key), ApiHarness.wav(6, 61.0));
        assertThat(early.statusCode()).as("not even one minute is covered").isEqualTo(402);
        assertThat(json(early).get("error").get("message").asText()).contains("at least", "10 credits", "balance is 3");

        new CreditLedger(api.db, CreditPolicy.defaults()).topUp(accountId(key), 12, "stream-test-" + UUID.randomUUID());
        HttpResponse<String> r = post(stream("models=transcribe", key), ApiHarness.wav(6, 61.0));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(402);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("insufficient_credits");
        assertThat(json(r).get("error").get("message").asText()).contains("20 credits", "61.0 s of audio", "balance is 15");
        assertThat(balance(key)).isEqualTo(15);
        assertThat(dir.resolve("stream")).as("the audio is deleted").isEmptyDirectory();
    }

    @Test
    void withAPerMinuteModelAnUnprobeableBodyIs422BeforeAnythingIsCharged() {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        HttpResponse<String> r = post(stream("models=lufs,segment-transcribe", key),
                "this is not audio at all\n".repeat(200).getBytes());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).get("error").get("code").asText()).startsWith("undecodable_audio.");
        assertThat(balance(key)).isEqualTo(before);
        assertThat(api.count("SELECT count(*) FROM credit_ledger WHERE kind = 'charge' AND account_id = '"
                + accountId(key) + "'")).isZero();
        assertThat(dir.resolve("stream")).isEmptyDirectory();
    }

    /** The stream refuses as the job endpoints do (one message, {@code UnknownDuration}); the length matters only there. */
    @Test
    void withAPerMinuteModelARecordingOfUnknownLengthIs422BeforeAnythingIsCharged() {
        String key = api.newKey(Plan.BASIC);
        long before = balance(key);
        byte[] live = UnknownLengthAudio.streamedFlac(9, 2.0);
        HttpResponse<String> r = post(stream("models=lufs,transcribe", key), live);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("unknown_duration");
        assertThat(json(r).at("/error/message").asText()).contains("which transcribe (priced per started minute) needs");
        assertThat(balance(key)).isEqualTo(before);
        assertThat(api.count("SELECT count(*) FROM credit_ledger WHERE kind = 'charge' AND account_id = '"
                + accountId(key) + "'")).isZero();
        assertThat(dir.resolve("stream")).isEmptyDirectory();

        List<Sse> events = events(post(stream("models=lufs", key), live));
        assertThat(events).extracting(Sse::event).containsExactly("started", "completed", "finished");
        assertThat(balance(key)).as("lufs alone needs no length").isEqualTo(before - 2);
    }

    static UUID accountId(String key) {
        return UUID.fromString(json(api.get("/v1/account", key)).get("account_id").asText());
    }

    @Test
    void theRateLimitAndTheSizeLimitHold(@TempDir Path other) throws Exception {
        try (ApiHarness limited = new ApiHarness(other, c -> c.withLimits(Plan.BASIC,
                new PlanLimits(3, Duration.ofHours(1), 10_000)))) {
            String key = limited.newKey(Plan.BASIC);
            HttpResponse<String> big = limited.send(limited.request("/v1/analysis/stream?models=lufs", key)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(WAV)).build());
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(json(big).get("error").get("code").asText()).isEqualTo("payload_too_large");
            byte[] small = ApiHarness.wav(1, 0.5);
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> ok = limited.send(limited.request("/v1/analysis/stream?models=lufs", key)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(small)).build());
                assertThat(ok.statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limitedOut = limited.send(limited.request("/v1/analysis/stream?models=lufs", key)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(small)).build());
            assertThat(limitedOut.statusCode()).isEqualTo(429);
            assertThat(json(limitedOut).get("error").get("code").asText()).isEqualTo("rate_limited");
            assertThat(limitedOut.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(Files.exists(other.resolve("stream"))).isTrue();
    }
}
