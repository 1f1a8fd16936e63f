package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Uploads one file to {@code POST /v1/assets/upload}, streamed from disk ({@link HttpRequest.BodyPublishers#ofFile}),
 * counting bytes as they leave. Retries what may pass later: 429 after its {@code Retry-After}, 5xx and broken
 * connections with a growing pause; a 4xx other than 429 is final.
 */
final class Uploader {

    /** The API's answer: {@code created} false when the account already had these bytes (SHA-256 dedup). */
    record Uploaded(String assetId, String sha256, String status, boolean created) {
    }

    static final class UploadFailed extends Exception {
        UploadFailed(String message) {
            super(message);
        }
    }

    private static final int ATTEMPTS = 5;
    private final HttpClient http;
    private final URI base;
    private final String key;

    Uploader(String apiUrl, String key) {
        this.base = URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.key = key;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    Uploaded upload(Path file, String filename, String contentType, LongConsumer bytesSent)
            throws UploadFailed, InterruptedException {
        URI uri = base.resolve("v1/assets/upload?filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8));
        String last = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            AtomicLong sent = new AtomicLong();
            long pauseMillis = Math.min(30_000, 500L << attempt);
            try {
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", contentType)
                        .timeout(Duration.ofHours(2))
                        .POST(counting(HttpRequest.BodyPublishers.ofFile(file), n -> {
                            sent.addAndGet(n);
                            bytesSent.accept(n);
                        }))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int code = response.statusCode();
                if (code == 200 || code == 201) {
                    JsonNode body = Json.mapper().readTree(response.body());
                    return new Uploaded(body.path("asset_id").asText(), body.path("sha256").asText(),
                            body.path("status").asText(), code == 201);
                }
                last = code + " " + errorMessage(response.body());
                if (code == 429) {
                    pauseMillis = response.headers().firstValueAsLong("Retry-After").orElse(5) * 1000;
                } else if (code < 500) {
                    throw new UploadFailed(last);
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            bytesSent.accept(-sent.get()); // this attempt's bytes do not count
            if (attempt < ATTEMPTS) {
                Thread.sleep(pauseMillis);
            }
        }
        throw new UploadFailed(last + " (after " + ATTEMPTS + " attempts)");
    }

    private static String errorMessage(String body) {
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

    /** {@code delegate}'s bytes, reported to {@code onBytes} as they are handed to the connection. */
    static HttpRequest.BodyPublisher counting(HttpRequest.BodyPublisher delegate, LongConsumer onBytes) {
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return delegate.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                delegate.subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        onBytes.accept(item.remaining());
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }
}
