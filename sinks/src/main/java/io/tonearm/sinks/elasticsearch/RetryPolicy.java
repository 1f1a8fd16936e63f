package io.tonearm.sinks.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Bounded retries with exponential backoff for Elasticsearch calls: what is worth retrying, and how long to wait.
 *
 * <p>Retried: HTTP 408, 429 (the node's write queue is full), 500, 502, 503, 504, and I/O errors without an
 * answer (connection refused or reset, timeouts). Not retried: every other 4xx, e.g. a document the mapping
 * rejects ({@code mapper_parsing_exception}, 400), which would fail the same way forever.
 *
 * <p>Attempt {@code n} (1-based) that fails waits {@code min(maxBackoff, initialBackoff · 2^(n-1))} before
 * attempt {@code n+1}; after {@code maxAttempts} attempts the failure is final. With the defaults (8 attempts,
 * 100 ms doubling up to 5 s) a caller gives up after about 13 s of waiting.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) implements Serializable {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be ≥ 1: " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 ≤ initialBackoff ≤ maxBackoff: " + initialBackoff + ", " + maxBackoff);
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /** How long to wait after failed attempt {@code attempt} (1-based). */
    public Duration backoffAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    /** Whether another attempt may follow failed attempt {@code attempt}. */
    public boolean mayRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** An HTTP status (of a response or of one bulk item) that may succeed when tried again. */
    public static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** An exception from the client that may succeed when tried again. */
    public static boolean isRetryable(Throwable failure) {
        if (failure instanceof ElasticsearchException es) {
            return isRetryable(es.status());
        }
        if (failure instanceof TransportException te) {
            return te.statusCode() <= 0 || isRetryable(te.statusCode());
        }
        return failure instanceof IOException;
    }
}
