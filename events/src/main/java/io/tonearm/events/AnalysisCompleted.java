package io.tonearm.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The pipeline finished an {@link AnalysisRequested}: published on {@link Topics#RESULTS} keyed by
 * {@link #sha256()}, through a transactional producer (consumers read with {@code isolation.level=read_committed}).
 * Carries the identity and status of each result, not the envelopes: those are in PostgreSQL
 * ({@code analysis_results}) and may be large.
 *
 * @param eventId   derived from the request id, so a consumer can drop a repeat
 * @param requestId the request (= job) this completes
 * @param status    {@code succeeded} when every requested analyzer succeeded, else {@code failed}
 * @param error     why it failed (undecodable recording, unknown analyzer, failing analyzers); null on success
 * @param results   requested name to the result it resolved to
 */
public record AnalysisCompleted(int version, UUID eventId, UUID requestId, UUID accountId, UUID assetId,
                                String sha256, String status, String error, Map<String, ResultRef> results,
                                Instant completedAt) {

    public static final int CURRENT_VERSION = 1;
    /** The discriminator on {@link Topics#RESULTS} (absent in records written before {@link IngestOutcome} existed). */
    public static final String TYPE = "analysis_completed";

    public AnalysisCompleted {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(status, "status");
        results = results == null ? Map.of() : Map.copyOf(results);
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    public String key() {
        return sha256;
    }

    /**
     * @param analyzer   canonical analyzer name
     * @param paramsHash identity of the parameter values
     * @param status     {@code succeeded} or {@code failed}
     */
    public record ResultRef(String analyzer, int version, String paramsHash, String status, String error) {
    }
}
