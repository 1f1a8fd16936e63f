package io.tonearm.api.processing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One processing endpoint, declared in one line: its path, the job kind it creates (also its entry in the credit
 * tariff) and the analyzers it runs (registry names, in the order their fields merge into the answer).
 *
 * @param async      a long-running job that always answers 202 {@code {job_id}}; its files are the job's outputs
 * @param parameters request fields (JSON body, or query for raw audio) passed on as analyzer parameters: field name
 *                   to the first analyzer's parameter name
 * @param assetParameters request fields that name another of the caller's assets (e.g. a mastering reference),
 *                   passed on as its sha256: field name to the first analyzer's parameter name
 * @param optional   analyzers whose failure does not fail the job when another succeeded: the job's result then
 *                   lists it under {@code failures} beside the others' fields (e.g. one that needs an
 *                   operator-installed model)
 */
public record Process(String path, String kind, List<String> analyzers, String summary, boolean async,
                      Map<String, String> parameters, Map<String, String> assetParameters, Set<String> optional) {

    public Process(String path, String kind, List<String> analyzers, String summary, boolean async,
                   Map<String, String> parameters) {
        this(path, kind, analyzers, summary, async, parameters, Map.of(), Set.of());
    }

    public Process {
        analyzers = List.copyOf(analyzers);
        parameters = Map.copyOf(parameters);
        assetParameters = Map.copyOf(assetParameters);
        optional = Set.copyOf(optional);
        if (analyzers.isEmpty()) {
            throw new IllegalArgumentException(path + " runs no analyzer");
        }
        if (!analyzers.containsAll(optional)) {
            throw new IllegalArgumentException(path + ": optional analyzers " + optional + " are not among " + analyzers);
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
        return new Process(path, kind, analyzers, summary, async, p, assetParameters, optional);
    }

    /** The same endpoint taking the request field {@code field}, an asset id of the caller's, as the sha256 parameter {@code analyzerParam}. */
    Process assetParam(String field, String analyzerParam) {
        Map<String, String> p = new LinkedHashMap<>(assetParameters);
        p.put(field, analyzerParam);
        return new Process(path, kind, analyzers, summary, async, parameters, p, optional);
    }

    /** The same endpoint with {@code names} optional: reported as failed in the result instead of failing the job. */
    Process optional(String... names) {
        return new Process(path, kind, analyzers, summary, async, parameters, assetParameters, Set.of(names));
    }
}
