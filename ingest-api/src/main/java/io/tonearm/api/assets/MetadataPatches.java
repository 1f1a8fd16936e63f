package io.tonearm.api.assets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.events.AssetMetadata;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a PATCH body {@code {"filename"?, "metadata"?: {...}}} as a JSON merge patch on the metadata:
 * a value sets the key, {@code null} removes it. Well-known keys: title, artist, isrc (validated, normalised
 * to 12 upper-case characters without hyphens); any other scalar key-value is kept as given.
 */
final class MetadataPatches {

    static final Pattern ISRC = AssetMetadata.ISRC;
    private static final Set<String> FIELDS = Set.of("filename", "metadata");
    private static final int MAX_KEYS = AssetMetadata.MAX_KEYS;
    private static final int MAX_VALUE_CHARS = AssetMetadata.MAX_VALUE_CHARS;

    private MetadataPatches() {
    }

    static AssetService.MetadataPatch parse(String body) throws com.fasterxml.jackson.core.JsonProcessingException {
        JsonNode root = Json.mapper().readTree(body == null ? "" : body);
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("invalid_body", "the body must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + f + "' (allowed: filename, metadata)");
            }
        }
        String filename = null;
        if (root.has("filename")) {
            if (!root.get("filename").isTextual() || AssetService.cleanFilename(root.get("filename").asText()) == null) {
                throw ApiException.badRequest("invalid_filename", "filename must be a non-empty string");
            }
            filename = AssetService.cleanFilename(root.get("filename").asText());
        }
        Map<String, Object> set = new LinkedHashMap<>();
        List<String> remove = new ArrayList<>();
        JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!(metadata instanceof ObjectNode object)) {
                throw ApiException.badRequest("invalid_metadata", "metadata must be a JSON object");
            }
            if (object.size() > MAX_KEYS) {
                throw ApiException.badRequest("invalid_metadata", "at most " + MAX_KEYS + " metadata keys");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                JsonNode v = e.getValue();
                if (key.isBlank() || key.length() > AssetMetadata.MAX_KEY_CHARS) {
                    throw ApiException.badRequest("invalid_metadata", "metadata keys must have 1-100 characters");
                }
                if (v.isNull()) {
                    remove.add(key);
                } else if (key.equals("isrc")) {
                    set.put(key, isrc(v));
                } else if (v.isTextual()) {
                    if (v.asText().length() > MAX_VALUE_CHARS) {
                        throw ApiException.badRequest("invalid_metadata", "metadata value of '" + key + "' is too long");
                    }
                    set.put(key, v.asText());
                } else if (v.isNumber()) {
                    set.put(key, v.numberValue());
                } else if (v.isBoolean()) {
                    set.put(key, v.booleanValue());
                } else {
                    throw ApiException.badRequest("invalid_metadata", "metadata value of '" + key
                            + "' must be a string, number, boolean or null");
                }
            }
        }
        return new AssetService.MetadataPatch(filename, set, remove);
    }

    /** ISRC normalised to its 12-character form ({@code US-RC1-76-07839} → {@code USRC17607839}). */
    static String isrc(JsonNode v) {
        String s = v.isTextual() ? normaliseIsrc(v.asText()) : "";
        if (!ISRC.matcher(s).matches()) {
            throw ApiException.badRequest("invalid_isrc", "isrc must look like CC-XXX-YY-NNNNN (ISO 3901)");
        }
        return s;
    }

    static String normaliseIsrc(String s) {
        return AssetMetadata.normaliseIsrc(s);
    }
}
