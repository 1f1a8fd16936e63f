package io.tonearm.sinks.postgres;

import java.time.Instant;

/** A row of {@code analysis_results} as the API reads it; {@code envelopeJson} is null for a failure. */
public record StoredResult(String sha256, String analyzer, int version, String paramsHash, String paramsJson,
                           String envelopeJson, ResultStatus status, String error, Instant computedAt) {
}
