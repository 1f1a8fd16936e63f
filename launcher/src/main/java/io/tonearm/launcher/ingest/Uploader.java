package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;

import java.io.IOException;
import java.net.URLEncoder;
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
 * counting bytes as they leave; retried as {@link ApiClient} retries every call.
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

    private final ApiClient api;

    Uploader(ApiClient api) {
        this.api = api;
    }

    Uploaded upload(Path file, String filename, String contentType, LongConsumer bytesSent)
            throws UploadFailed, InterruptedException {
        String path = "v1/assets/upload?filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8);
        AtomicLong sent = new AtomicLong();
        HttpResponse<String> response;
        try {
            response = api.send(() -> api.request(path)
                    .header("Content-Type", contentType)
                    .timeout(Duration.ofHours(2))
                    .POST(counting(ofFile(file), n -> {
                        sent.addAndGet(n);
                        bytesSent.accept(n);
                    }))
                    .build(), () -> bytesSent.accept(-sent.getAndSet(0))); // a failed attempt's bytes do not count
        } catch (ApiClient.CallFailed e) {
            throw new UploadFailed(e.getMessage());
        }
        int code = response.statusCode();
        if (code != 200 && code != 201) {
            throw new UploadFailed(code + " " + ApiClient.errorMessage(response.body()));
        }
        try {
            JsonNode body = Json.mapper().readTree(response.body());
            return new Uploaded(body.path("asset_id").asText(), body.path("sha256").asText(),
                    body.path("status").asText(), code == 201);
        } catch (IOException e) {
            throw new UploadFailed("unreadable answer: " + e.getMessage());
        }
    }

    private static HttpRequest.BodyPublisher ofFile(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (java.io.FileNotFoundException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
