package io.tonearm.api.processing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One processing endpoint, declared in one line: its path, the job kind it creates (also its entry in the credit
 * tariff) and the analyzers it runs (registry names, in the order their fields merge into the answer).
 *
 * @param async      a long-running job that always answers 202 {@code {job_id}}; its files are the job's outputs
 * @param parameters request fields (JSON body, or query for raw audio) passed on as analyzer parameters: field name
 *                   to the first analyzer's parameter name
 * @param assetParameters request fields that name another of the caller's assets (e.g. a mastering reference),
 *                   passed on as its sha256: field name to the first analyzer's parameter name
 */
public record Process(String path, String kind, List<String> analyzers, String summary, boolean async,
                      Map<String, String> parameters, Map<String, String> assetParameters) {

    public Process(String path, String kind, List<String> analyzers, String summary, boolean async,
                   Map<String, String> parameters) {
        this(path, kind, analyzers, summary, async, parameters, Map.of());
    }

    public Process {
        analyzers = List.copyOf(analyzers);
        parameters = Map.copyOf(parameters);
        assetParameters = Map.copyOf(assetParameters);
        if (analyzers.isEmpty()) {
            throw new IllegalArgumentException(path + " runs no analyzer");
        }
    }

    static Process of(String kind, String summary, String... analyzers) {
        return new Process("/v1/" + kind, kind, List.of(analyzers), summary, false, Map.of());
    }

    /** A long-running job (202 at once), e.g. stems or mastering. */
    static Process job(String kind, String summary, String... analyzers) {
        return new Process("/v1/" + kind, kind, List.of(analyzers), summary, true, Map.of());
    }

    /** The same endpoint taking the request field {@code field} as the analyzer's parameter {@code analyzerParam}. */
    Process param(String field, String analyzerParam) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put(field, analyzerParam);
        return new Process(path, kind, analyzers, summary, async, p, assetParameters);
    }

    /** The same endpoint taking the request field {@code field}, an asset id of the caller's, as the sha256 parameter {@code analyzerParam}. */
    Process assetParam(String field, String analyzerParam) {
        Map<String, String> p = new LinkedHashMap<>(assetParameters);
        p.put(field, analyzerParam);
        return new Process(path, kind, analyzers, summary, async, parameters, p);
    }
}
