package io.tonearm.sinks.postgres;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code analysis_results}: the outcome of one analyzer on one recording, identified by
 * (sha256, analyzer, version, paramsHash). A Flink POJO (record of basic types), so it travels between operators
 * without Kryo.
 *
 * @param params       the parameter values (defaults included) as JSON
 * @param envelopeJson the result envelope {@code {model_name, model_version, results, provenance}}; null when failed
 * @param error        why it failed; null when succeeded
 */
public record ResultRow(String sha256, String analyzer, int version, String paramsHash, String params,
                        String envelopeJson, ResultStatus status, String error, Instant computedAt) {

    public ResultRow {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(analyzer, "analyzer");
        Objects.requireNonNull(paramsHash, "paramsHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(computedAt, "computedAt");
        if ((status == ResultStatus.SUCCEEDED) != (envelopeJson != null)) {
            throw new IllegalArgumentException("a succeeded result has an envelope, a failed one has none");
        }
    }

    /** {@code analyzer@version#paramsHash}: the identity of a result within one recording. */
    public String resultKey() {
        return ResultKey.of(analyzer, version, paramsHash);
    }
}
