package io.tonearm.api.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /v1/jobs/{id}}: {@code result} is the finished job's result fields (as the processing endpoints
 * answer them, see {@link JobResults}), null before; {@code outputs} the files it produced.
 */
public record JobView(UUID jobId, String kind, String status, Map<String, Object> result, String error,
                      List<Object> outputs, UUID assetId, Instant createdAt, Instant updatedAt) {
}
