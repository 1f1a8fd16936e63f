package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The API as {@code tonearm ingest} calls it: Bearer auth, and one retry policy for every call. What may pass later
 * is retried: 429 after its {@code Retry-After}, 5xx and broken connections with a growing pause; any other answer
 * is returned to the caller, which decides (a 4xx is final).
 */
final class ApiClient {

    static final class CallFailed extends Exception {
        CallFailed(String message) {
            super(message);
        }
    }

    private static final int ATTEMPTS = 5;
    private final HttpClient http;
    private final URI base;
    private final String key;

    ApiClient(String apiUrl, String key) {
        this.base = URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.key = key;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A request to {@code path} (relative to the API, e.g. {@code v1/jobs/ID}) carrying the key. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key);
    }

    /**
     * Sends the request {@code attempt} builds (a fresh one per attempt, so a streamed body starts again) until an
     * answer other than 429/5xx; {@code onRetry} runs before each new attempt.
     */
    HttpResponse<String> send(Supplier<HttpRequest> attempt, Runnable onRetry) throws CallFailed, InterruptedException {
        String last = "";
        for (int n = 1; n <= ATTEMPTS; n++) {
            long pauseMillis = Math.min(30_000, 500L << n);
            try {
                HttpResponse<String> response = http.send(attempt.get(), HttpResponse.BodyHandlers.ofString());
                int code = response.statusCode();
                if (code != 429 && code < 500) {
                    return response;
                }
                last = code + " " + errorMessage(response.body());
                if (code == 429) {
                    pauseMillis = response.headers().firstValueAsLong("Retry-After").orElse(5) * 1000;
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            onRetry.run();
            if (n < ATTEMPTS) {
                Thread.sleep(pauseMillis);
            }
        }
        throw new CallFailed(last + " (after " + ATTEMPTS + " attempts)");
    }

    /** The API's {@code {"error": {"code", "message"}}} as "code: message", else the start of the body. */
    static String errorMessage(String body) {
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            if (error.has("message")) {
                return error.path("code").asText() + ": " + error.path("message").asText();
            }
        } catch (IOException notJson) {
            // fall through
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }
}
