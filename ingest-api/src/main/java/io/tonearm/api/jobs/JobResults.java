package io.tonearm.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.api.http.Json;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.ResultRepository;
import io.tonearm.sinks.postgres.ResultStatus;
import io.tonearm.sinks.postgres.StoredJob;
import io.tonearm.sinks.postgres.StoredResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A succeeded job's result as clients read it: the fields of each result at the top level ({@code tempo},
 * {@code key}, {@code integrated_lufs}, {@code chords}, ...) next to {@code model_name} and {@code model_version}.
 * <p>
 * A job of several analyzers (key-bpm) merges their fields in the order requested; where two share a field name
 * ({@code confidence}) the first keeps the top-level name. {@code model_name} and {@code model_version} are then
 * comma-joined in the same order ({@code "key,bpm"}, {@code "1,1"}), and {@code models} holds every analyzer's full
 * envelope ({@code {model_name, model_version, results}}) by requested name, so nothing is hidden by the merge.
 * <p>
 * The job row holds each result's identity ({@code result.results.<name>: {analyzer, version, params_hash}});
 * the envelopes are read from {@code analysis_results}.
 */
public final class JobResults {

    private final ResultRepository results;

    public JobResults(ResultRepository results) {
        this.results = results;
    }

    /** The result body of a succeeded job; empty otherwise (or when a result row is missing). */
    public Optional<Map<String, Object>> of(StoredJob job) {
        if (job.status() != JobStatus.SUCCEEDED || job.resultJson() == null || job.sha256() == null) {
            return Optional.empty();
        }
        JsonNode refs = read(job.resultJson()).path("results");
        List<String> order = requestedOrder(job, refs);
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> models = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (String name : order) {
            JsonNode ref = refs.path(name);
            Optional<StoredResult> row = results.find(job.sha256(), ref.path("analyzer").asText(),
                    ref.path("version").asInt(), ref.path("params_hash").asText());
            if (row.isEmpty() || row.get().status() != ResultStatus.SUCCEEDED) {
                return Optional.empty();
            }
            ObjectNode envelope = (ObjectNode) read(row.get().envelopeJson());
            JsonNode fields = envelope.path("results");
            if (fields.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    body.putIfAbsent(f.getKey(), f.getValue());
                }
            } else {
                body.putIfAbsent("results", fields);
            }
            names.add(envelope.path("model_name").asText());
            versions.add(envelope.path("model_version").asText());
            envelope.remove("provenance");
            models.put(name, envelope);
        }
        body.put("model_name", String.join(",", names));
        body.put("model_version", String.join(",", versions));
        if (models.size() > 1) {
            body.put("models", models);
        }
        return Optional.of(body);
    }

    /** Requested names in the order asked (requested_analyzers), falling back to the result map's order. */
    private static List<String> requestedOrder(StoredJob job, JsonNode refs) {
        List<String> order = new ArrayList<>();
        if (job.requestedAnalyzersJson() != null) {
            for (JsonNode r : read(job.requestedAnalyzersJson())) {
                String name = r.path("name").asText();
                if (refs.has(name) && !order.contains(name)) {
                    order.add(name);
                }
            }
        }
        refs.fieldNames().forEachRemaining(n -> {
            if (!order.contains(n)) {
                order.add(n);
            }
        });
        return order;
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
