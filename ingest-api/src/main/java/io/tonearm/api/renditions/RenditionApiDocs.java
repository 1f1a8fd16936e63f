package io.tonearm.api.renditions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The renditions' part of {@code /openapi.json}: the upload flags, the {@code Rendition} schema, the file endpoints. */
public final class RenditionApiDocs {

    /** {@code enable_thumbnail} and {@code enable_hls} as body properties (form fields, JSON booleans). */
    public static final Map<String, Object> FLAG_PROPERTIES = flagProperties();

    /** The same flags as query parameters ({@code POST /v1/assets/upload}). */
    public static final List<Map<String, Object>> FLAG_PARAMETERS = List.of(
            query(RenditionKind.THUMBNAIL), query(RenditionKind.HLS));

    /** A reference to the {@code Rendition} schema, for the asset's {@code thumbnail} and {@code hls}. */
    public static final Map<String, Object> REF = Map.of("$ref", "#/components/schemas/Rendition");

    /** Named schemas this feature adds. */
    public static final Map<String, Object> SCHEMAS = Map.of("Rendition", Map.of(
            "type", "object",
            "description", "A requested rendition of an asset; present in the asset only when it was asked for",
            "required", List.of("status"),
            "properties", Map.of(
                    "status", Map.of("type", "string", "enum", List.of("pending", "processing", "ready", "error")),
                    "url", Map.of("type", "string", "nullable", true,
                            "description", "where it is served, relative to the API root; set once ready"),
                    "error", Map.of("type", "object", "nullable", true, "description", "set in status error",
                            "properties", Map.of("code", Map.of("type", "string"), "message", Map.of("type", "string"))))));

    private RenditionApiDocs() {
    }

    static Map<String, Object> file(String description, Map<String, String> contentTypes) {
        Map<String, Object> content = new LinkedHashMap<>();
        contentTypes.forEach((type, format) -> content.put(type, Map.of("schema", Map.of("type", "string", "format", format))));
        return Map.of("responses", Map.of("200", Map.of("description", description, "content", content),
                "404", Map.of("description", "another account's asset, not requested, or not ready yet")));
    }

    private static Map<String, Object> query(RenditionKind kind) {
        return Map.of("name", kind.flag(), "in", "query", "required", false,
                "schema", Map.of("type", "boolean", "default", false), "description", describe(kind));
    }

    private static Map<String, Object> flagProperties() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RenditionKind k : RenditionKind.values()) {
            out.put(k.flag(), Map.of("type", "boolean", "default", false, "description", describe(k)));
        }
        return out;
    }

    private static String describe(RenditionKind kind) {
        return switch (kind) {
            case THUMBNAIL -> "render a waveform PNG (800x160) served at /v1/assets/{id}/thumbnail; "
                    + "anything but true/false is a 400";
            case HLS -> "render HLS (AAC 128 kbps in ~6 s MPEG-TS segments) served at /v1/assets/{id}/hls/index.m3u8; "
                    + "anything but true/false is a 400";
        };
    }
}
