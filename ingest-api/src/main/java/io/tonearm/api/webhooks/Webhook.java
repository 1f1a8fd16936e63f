package io.tonearm.api.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered endpoint; the secret is only ever shown in the answer to its creation. */
public record Webhook(UUID id, String url, List<String> events, Instant createdAt) {
}
