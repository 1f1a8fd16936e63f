package io.tonearm.sinks.postgres;

import java.time.Instant;
import java.util.Objects;

/**
 * A job moved to {@code status}. Written by the pipeline with {@link JobTransitionUpsert}; applied only when it
 * moves the job forward.
 *
 * @param jobId              the request id (= job id)
 * @param assetId            the asset the request named; may be null
 * @param requestedAnalyzers JSON array of what was asked ({@code [{"name","version","params"}]})
 * @param resultJson         for terminal statuses: {@code {"sha256", "results": {name: {analyzer, version,
 *                           params_hash, status, error}}}}; envelopes stay in {@code analysis_results}
 */
public record JobTransition(String jobId, String accountId, String assetId, String sha256, JobStatus status,
                            String error, String requestedAnalyzers, String resultJson, Instant at) {

    public JobTransition {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }
}
