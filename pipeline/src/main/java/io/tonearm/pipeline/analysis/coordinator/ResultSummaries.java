package io.tonearm.pipeline.analysis.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.analysis.Json;

import java.util.Iterator;
import java.util.Map;

/**
 * The part of a result a search document needs: its small top-level fields ({@code tempo}, {@code key},
 * {@code mode}, {@code integrated_lufs}, a chord {@code summary}...), each at most {@value #MAX_FIELD_CHARS}
 * characters of JSON and {@value #MAX_FIELDS} fields, so that keyed state stays small whatever an analyzer
 * returns (a pitch contour or a beat list is left out). Kept in state so that a new asset on a known recording
 * gets its search document without re-reading results.
 */
final class ResultSummaries {

    static final int MAX_FIELDS = 32;
    static final int MAX_FIELD_CHARS = 2_048;

    private ResultSummaries() {
    }

    static String of(Object results) {
        JsonNode node = Json.mapper().valueToTree(results);
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        if (node != null && node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext() && summary.size() < MAX_FIELDS; ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                if (v.isValueNode() && !v.isTextual() || v.toString().length() <= MAX_FIELD_CHARS) {
                    summary.set(f.getKey(), v);
                }
            }
        }
        return summary.toString();
    }

    /** {@code {"name": {...}, ...}} from the per-analyzer summaries. */
    static String combine(Map<String, String> summaries) {
        ObjectNode all = JsonNodeFactory.instance.objectNode();
        summaries.forEach((name, json) -> {
            try {
                all.set(name, Json.mapper().readTree(json));
            } catch (Exception e) {
                // a summary we wrote ourselves; unreadable only if state is corrupt: leave it out
            }
        });
        return all.toString();
    }
}
