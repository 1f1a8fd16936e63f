package io.tonearm.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An account asked for analyses of one recording. Published on {@link Topics#REQUESTS} keyed by
 * {@link #sha256()}; the pipeline computes each (sha256, analyzer, version, params) result at most once.
 *
 * @param version    schema version of this record
 * @param requestId  stable id of the request (the job id); the dedup key downstream
 * @param accountId  the requesting account
 * @param assetId    the asset the request names
 * @param sha256     hex SHA-256 of the recording; the record key
 * @param analyzers  what to run
 * @param requestedAt when the API committed the request
 * @param probe      what the asset's probe read from the bytes, so the job need not probe them again; null when the
 *                   request was made before a probe settled (or by an older release): the job probes
 */
public record AnalysisRequested(int version, UUID requestId, UUID accountId, UUID assetId, String sha256,
                                List<AnalyzerRequest> analyzers, Instant requestedAt, AudioProbe probe) {

    public static final int CURRENT_VERSION = 1;

    public AnalysisRequested {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(sha256, "sha256");
        analyzers = List.copyOf(analyzers);
    }

    /** A request without a probe: the job probes the bytes itself. */
    public AnalysisRequested(int version, UUID requestId, UUID accountId, UUID assetId, String sha256,
                             List<AnalyzerRequest> analyzers, Instant requestedAt) {
        this(version, requestId, accountId, assetId, sha256, analyzers, requestedAt, null);
    }

    /** The Kafka record key. */
    public String key() {
        return sha256;
    }

    /**
     * Whether the request's job succeeds when the analyzers named in {@code failed} (by {@link AnalyzerRequest#name()})
     * failed: every required analyzer must have succeeded, and at least one analyzer. An optional analyzer's failure
     * is reported beside the others' results instead.
     */
    public boolean succeedsDespite(java.util.Collection<String> failed) {
        boolean any = false;
        for (AnalyzerRequest a : analyzers) {
            boolean ok = !failed.contains(a.name());
            if (!ok && !a.optional()) return false;
            any |= ok;
        }
        return any;
    }

    /**
     * One analyzer to run.
     *
     * @param name     registry name or alias (e.g. {@code bpm_degara})
     * @param version  a pinned version, null for the registry's current one
     * @param params   analyzer parameters, empty for defaults
     * @param optional its failure does not fail the job when another analyzer succeeded (e.g. {@code vocal-activity},
     *                 which needs an operator-installed model, in {@code analyze/upload}); absent in older records: false
     */
    public record AnalyzerRequest(String name, String version, Map<String, Object> params, boolean optional) {
        public AnalyzerRequest {
            Objects.requireNonNull(name, "name");
            params = params == null ? Map.of() : Map.copyOf(params);
        }

        /** A required analyzer. */
        public AnalyzerRequest(String name, String version, Map<String, Object> params) {
            this(name, version, params, false);
        }
    }
}
