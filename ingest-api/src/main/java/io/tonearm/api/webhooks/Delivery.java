package io.tonearm.api.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One event for one webhook, with every attempt made to deliver it: the delivery log. */
public record Delivery(UUID id, UUID eventId, String eventType, String status, int attempts, Instant nextAttemptAt,
                       String lastError, Instant createdAt, Instant finishedAt, List<Attempt> attemptLog) {

    /** @param statusCode the receiver's HTTP status, null when no answer came (see {@code error}) */
    public record Attempt(int attempt, Instant attemptedAt, Integer statusCode, String error, int durationMs) {
    }
}
