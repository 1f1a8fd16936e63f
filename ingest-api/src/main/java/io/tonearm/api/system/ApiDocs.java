package io.tonearm.api.system;

import io.javalin.http.Context;
import io.tonearm.api.http.Routes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /openapi.json} (OpenAPI 3.0) and {@code /docs} (a plain HTML page), both generated from the route
 * table every feature registers into, so a new endpoint is documented by registering it.
 */
public final class ApiDocs implements Routes.Feature {

    /** The content of every error response: {@code {"error": {"code", "message"}}} as application/json. */
    public static final Map<String, Object> ERROR_CONTENT = Map.of("application/json",
            Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private final Supplier<List<Routes.Route>> table;
    private final String version;

    public ApiDocs(Supplier<List<Routes.Route>> table, String version) {
        this.table = table;
        this.version = version;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/openapi.json", "This API's OpenAPI 3.0 description", this::openApi)
                .get("/docs", "Human-readable list of the endpoints", this::docs);
    }

    Map<String, Object> document() {
        Map<String, Object> paths = new LinkedHashMap<>();
        Map<String, Object> schemas = new LinkedHashMap<>();
        for (Routes.Route r : table.get()) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("summary", r.summary());
            op.put("operationId", r.method().name().toLowerCase(Locale.ROOT) + r.path().replaceAll("[^A-Za-z0-9]+", "_"));
            List<Map<String, Object>> params = new ArrayList<>();
            Matcher m = PATH_PARAM.matcher(r.path());
            while (m.find()) {
                params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
            }
            Map<String, Object> extra = r.openApi();
            if (extra.get("parameters") instanceof List<?> more) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> typed = (List<Map<String, Object>>) more;
                params.addAll(typed);
            }
            if (!params.isEmpty()) {
                op.put("parameters", params);
            }
            if (extra.containsKey("requestBody")) {
                op.put("requestBody", extra.get("requestBody"));
            }
            Map<String, Object> responses = new LinkedHashMap<>();
            if (extra.get("responses") instanceof Map<?, ?> documented) {
                documented.forEach((status, response) -> responses.put(status.toString(), response));
            } else {
                responses.put("2XX", Map.of("description", "success"));
            }
            responses.put("default", Map.of("description", "error", "content", ERROR_CONTENT));
            op.put("responses", responses);
            if (extra.get("x-schemas") instanceof Map<?, ?> named) {
                named.forEach((name, schema) -> schemas.put(name.toString(), schema));
            }
            if (r.authenticated()) {
                op.put("security", List.of(Map.of("bearer", List.of())));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>());
            item.put(r.method().name().toLowerCase(Locale.ROOT), op);
        }
        Map<String, Object> error = Map.of("type", "object", "required", List.of("error"), "properties",
                Map.of("error", Map.of("type", "object", "required", List.of("code", "message"), "properties",
                        Map.of("code", Map.of("type", "string"), "message", Map.of("type", "string")))));
        schemas.put("Error", error);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Tonearm API", "version", version));
        doc.put("paths", paths);
        doc.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
                "schemas", schemas));
        return doc;
    }

    private void openApi(Context ctx) {
        ctx.json(document());
    }

    private void docs(Context ctx) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Tonearm API</title>"
                + "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 12px;text-align:left}"
                + "code{background:#f3f3f3;padding:1px 4px}</style></head><body><h1>Tonearm API</h1>"
                + "<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a>. Endpoints under <code>/v1</code> take "
                + "<code>Authorization: Bearer &lt;api key&gt;</code>; errors are <code>{\"error\": {\"code\", \"message\"}}</code>.</p>"
                + "<table><tr><th>method</th><th>path</th><th>what it does</th></tr>");
        for (Routes.Route r : table.get()) {
            html.append("<tr><td>").append(r.method().name()).append("</td><td><code>").append(escape(r.path()))
                    .append("</code></td><td>").append(escape(r.summary())).append("</td></tr>");
        }
        ctx.html(html.append("</table></body></html>").toString());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
