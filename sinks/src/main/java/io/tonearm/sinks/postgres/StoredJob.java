package io.tonearm.sinks.postgres;

import java.time.Instant;
import java.util.UUID;

/**
 * A job as the API answers {@code GET /v1/jobs/{id}}.
 *
 * @param requestedAnalyzersJson JSON array of what was asked
 * @param resultJson             JSON map of analyzer to result identity and status (null until terminal)
 * @param outputsJson            JSON array of produced files
 */
public record StoredJob(UUID id, UUID accountId, UUID assetId, String kind, JobStatus status, String error,
                        String sha256, String requestedAnalyzersJson, String resultJson, String outputsJson,
                        Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt) {
}
