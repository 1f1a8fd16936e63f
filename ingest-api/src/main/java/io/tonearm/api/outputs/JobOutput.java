package io.tonearm.api.outputs;

import java.time.Instant;
import java.util.UUID;

/**
 * A file a job produced, stored in the blob store by its SHA-256.
 *
 * @param finishedAt when its job finished: the retention window counts from here
 */
record JobOutput(UUID jobId, UUID accountId, String name, String analyzer, String sha256, String mediaType,
                 long sizeBytes, Instant finishedAt) {
}
