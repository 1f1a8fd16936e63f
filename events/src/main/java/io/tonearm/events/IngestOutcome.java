package io.tonearm.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;

/**
 * What became of one {@link IngestCommand}: published on {@link Topics#RESULTS} (transactional; read with
 * {@code read_committed}), keyed by the command's idempotency key (by {@code topic-partition@offset} when it has
 * none), next to {@link AnalysisCompleted} events; the {@code type} field tells them apart
 * ({@link EventCodec#resultType}). The JSON is documented in {@code docs/ingest-topic.md}.
 *
 * @param status         {@code registered} (a new analysis request; the asset may have existed), {@code duplicate}
 *                       (the key had been used: the first command's asset and job, nothing new), {@code failed}
 *                       (well-formed but not carried out: unknown account, refused URL, unreadable, not audio, or
 *                       undecodable: then the {@code failed} asset it registered is named) or
 *                       {@code malformed} (not a valid command: nothing tried)
 * @param error          why it failed or was malformed; null otherwise
 * @param source         where a malformed command was read; null otherwise
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record IngestOutcome(int version, String idempotencyKey, String accountId, String status, String assetId,
                            String sha256, String jobId, Error error, SourcePosition source, Instant occurredAt) {

    public static final int CURRENT_VERSION = 1;
    /** The discriminator on {@link Topics#RESULTS}. */
    public static final String TYPE = "ingest_outcome";

    public static final String REGISTERED = "registered";
    public static final String DUPLICATE = "duplicate";
    public static final String FAILED = "failed";
    public static final String MALFORMED = "malformed";

    public IngestOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    /** The Kafka record key. */
    public String key() {
        if (idempotencyKey != null) return idempotencyKey;
        return source == null ? "ingest" : source.topic() + "-" + source.partition() + "@" + source.offset();
    }

    public static IngestOutcome done(String status, String idempotencyKey, String accountId, String assetId,
                                     String sha256, String jobId) {
        return new IngestOutcome(CURRENT_VERSION, idempotencyKey, accountId, status, assetId, sha256, jobId, null, null,
                Instant.now());
    }

    public static IngestOutcome failed(String idempotencyKey, String accountId, String code, String message) {
        return new IngestOutcome(CURRENT_VERSION, idempotencyKey, accountId, FAILED, null, null, null,
                new Error(code, message), null, Instant.now());
    }

    /**
     * Failed because the bytes cannot be decoded: unlike other failures, they are stored and the account has a
     * {@code failed} asset for them (as an undecodable upload), named here; no analysis was requested.
     *
     * @param code {@code undecodable_audio.<reason>}, the asset's error code
     */
    public static IngestOutcome undecodable(String idempotencyKey, String accountId, String assetId, String sha256,
                                            String code, String message) {
        return new IngestOutcome(CURRENT_VERSION, idempotencyKey, accountId, FAILED, assetId, sha256, null,
                new Error(code, message), null, Instant.now());
    }

    public static IngestOutcome malformed(String idempotencyKey, String accountId, String message, SourcePosition at) {
        return new IngestOutcome(CURRENT_VERSION, idempotencyKey, accountId, MALFORMED, null, null, null,
                new Error("malformed_command", message), at, Instant.now());
    }

    /** @param code a stable string to branch on (see {@code docs/ingest-topic.md}) */
    public record Error(String code, String message) {
    }

    /** Where a command was read. */
    public record SourcePosition(String topic, int partition, long offset) {
    }
}
