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
 * An optional analyzer that failed in a job that succeeded without it ({@code analyze/upload}'s vocal activity when
 * its model is not installed) is listed under {@code failures: {name: {code, message}}}, as {@code tonearm analyze}
 * lists an analyzer's failure, and its fields are absent.
 * <p>
 * The job row holds each result's identity ({@code result.results.<name>: {analyzer, version, params_hash}});
 * the envelopes are read from {@code analysis_results}.
 */
public final class JobResults {

    /**
     * A transcription's notes at the top level are cut to this many ({@code notes_truncated: true} beside them,
     * {@code note_count} says how many there are); every note is in the job's MIDI output.
     */
    static final int MAX_NOTES = 2_000;
    /** The code of an analyzer's failure, as {@code tonearm analyze} reports it under {@code failures}. */
    static final String ANALYZER_FAILED = "analyzer_failed";

    private final ResultRepository results;
    private final JobStore store;

    public JobResults(ResultRepository results) {
        this(results, null);
    }

    /** @param store reads the options a request added (e.g. a separation prompt and its stems) into the result */
    public JobResults(ResultRepository results, JobStore store) {
        this.results = results;
        this.store = store;
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
        Map<String, Object> failures = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (String name : order) {
            JsonNode ref = refs.path(name);
            if ("failed".equals(ref.path("status").asText())) {
                // an optional analyzer that failed in a job that succeeded without it (see Process#optional)
                failures.put(name, Map.of("code", ANALYZER_FAILED, "message", ref.path("error").asText("")));
                continue;
            }
            Optional<StoredResult> row = results.find(job.sha256(), ref.path("analyzer").asText(),
                    ref.path("version").asInt(), ref.path("params_hash").asText());
            if (row.isEmpty() || row.get().status() != ResultStatus.SUCCEEDED) {
                return Optional.empty();
            }
            ObjectNode envelope = (ObjectNode) read(row.get().envelopeJson());
            hideLocations(envelope);
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
        capNotes(body);
        body.put("model_name", String.join(",", names));
        body.put("model_version", String.join(",", versions));
        if (models.size() > 1) {
            body.put("models", models);
        }
        if (!failures.isEmpty()) {
            body.put("failures", failures);
        }
        if (store != null) {
            store.options(job.id()).ifPresent(o -> read(o).fields().forEachRemaining(f -> body.put(f.getKey(), f.getValue())));
        }
        return Optional.of(body);
    }

    /**
     * Output references ({@code name, media_type, sha256, size_bytes, location}) name where the pipeline stored the
     * file, a server path; clients download through the job's {@code outputs} links instead.
     */
    private static void hideLocations(JsonNode node) {
        if (node instanceof ObjectNode o && o.has("sha256") && o.has("media_type")) {
            o.remove("location");
            return;
        }
        for (JsonNode child : node) {
            hideLocations(child);
        }
    }

    /** A transcription's note list can run to tens of thousands of notes: the answer keeps the first ones. */
    private static void capNotes(Map<String, Object> body) {
        if (body.get("notes") instanceof JsonNode notes && notes.isArray() && notes.size() > MAX_NOTES) {
            com.fasterxml.jackson.databind.node.ArrayNode first = Json.mapper().createArrayNode();
            for (int i = 0; i < MAX_NOTES; i++) {
                first.add(notes.get(i));
            }
            body.put("notes", first);
            body.put("notes_truncated", true);
        }
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
