package io.tonearm.api.accounts;

import io.tonearm.sinks.accounts.Plan;
import java.time.Instant;
import java.util.UUID;

public record Account(UUID id, String name, Plan plan, long credits, Instant createdAt) {
}
