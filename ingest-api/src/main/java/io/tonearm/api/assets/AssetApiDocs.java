package io.tonearm.api.assets;

import io.tonearm.api.renditions.RenditionApiDocs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The assets' part of {@code /openapi.json}: the creation bodies and parameters, the {@code Asset} schema. */
final class AssetApiDocs {

    private static final Map<String, Object> ASSET_REF = Map.of("$ref", "#/components/schemas/Asset");

    private AssetApiDocs() {
    }

    static Map<String, Object> upload() {
        List<Map<String, Object>> params = new java.util.ArrayList<>();
        params.add(Map.of("name", "filename", "in", "query", "required", false, "schema", Map.of("type", "string")));
        params.addAll(RenditionApiDocs.FLAG_PARAMETERS);
        return Map.of("parameters", params,
                "requestBody", Map.of("required", true, "content", Map.of(
                        "audio/*", binary(), "video/*", binary(), "application/octet-stream", binary())),
                "responses", created(), "x-schemas", schemas());
    }

    static Map<String, Object> create() {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("method", Map.of("type", "string", "enum", List.of("direct", "url")));
        form.put("file", Map.of("type", "string", "format", "binary", "description", "method=direct"));
        form.put("url", Map.of("type", "string", "description", "method=url: a public http(s) URL"));
        form.put("filename", Map.of("type", "string"));
        form.putAll(RenditionApiDocs.FLAG_PROPERTIES);
        Map<String, Object> json = new LinkedHashMap<>(form);
        json.remove("file");
        json.put("method", Map.of("type", "string", "enum", List.of("url")));
        return Map.of("requestBody", Map.of("required", true, "content", Map.of(
                        "multipart/form-data", Map.of("schema", Map.of("type", "object", "required", List.of("method"),
                                "properties", form)),
                        "application/json", Map.of("schema", Map.of("type", "object", "required", List.of("method", "url"),
                                "properties", json)))),
                "responses", created(), "x-schemas", schemas());
    }

    static Map<String, Object> one() {
        return Map.of("responses", Map.of("200", Map.of("description", "the asset",
                "content", Map.of("application/json", Map.of("schema", ASSET_REF)))), "x-schemas", schemas());
    }

    private static Map<String, Object> created() {
        Map<String, Object> asset = Map.of("application/json", Map.of("schema", ASSET_REF));
        return Map.of("201", Map.of("description", "created", "content", asset),
                "200", Map.of("description", "these bytes were this account's asset already", "content", asset));
    }

    private static Map<String, Object> binary() {
        return Map.of("schema", Map.of("type", "string", "format", "binary"));
    }

    /** The fields clients rely on; every field of {@link AssetView} is in the answers. */
    private static Map<String, Object> schemas() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("id", Map.of("type", "string", "format", "uuid"));
        props.put("asset_id", Map.of("type", "string", "format", "uuid"));
        props.put("method", Map.of("type", "string"));
        props.put("status", Map.of("type", "string", "enum", List.of("processing", "ready", "failed")));
        props.put("filename", Map.of("type", "string", "nullable", true));
        props.put("file_type", Map.of("type", "string", "enum", List.of("audio", "video", "other")));
        props.put("sha256", Map.of("type", "string"));
        props.put("size", Map.of("type", "integer", "format", "int64"));
        props.put("duration", Map.of("type", "number", "nullable", true));
        props.put("created_at", Map.of("type", "string", "format", "date-time"));
        props.put("expires_at", Map.of("type", "string", "format", "date-time"));
        props.put("thumbnail", RenditionApiDocs.REF);
        props.put("hls", RenditionApiDocs.REF);
        Map<String, Object> out = new LinkedHashMap<>(RenditionApiDocs.SCHEMAS);
        out.put("Asset", Map.of("type", "object", "properties", props));
        return out;
    }
}
