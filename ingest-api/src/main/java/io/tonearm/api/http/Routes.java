package io.tonearm.api.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRouting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The route table: each feature adds its endpoints here (method, path, one-line summary, handler), the server
 * mounts them on Javalin, and the OpenAPI document is generated from the same table, so docs cannot drift.
 */
public final class Routes {

    /**
     * One endpoint. {@code authenticated} routes live under {@code /v1} and need a Bearer key. {@code openApi} is
     * an optional fragment of the endpoint's OpenAPI operation ({@code parameters}, {@code requestBody},
     * {@code responses}; {@code x-schemas} adds named schemas to the document's components).
     */
    public record Route(HandlerType method, String path, String summary, Handler handler, Map<String, Object> openApi) {
        public Route {
            openApi = Map.copyOf(openApi);
        }

        public boolean authenticated() {
            return path.startsWith("/v1/");
        }
    }

    /** What a feature package implements: one registration line in the composition root per feature. */
    public interface Feature {
        void routes(Routes routes);
    }

    private final List<Route> table = new ArrayList<>();

    public Routes get(String path, String summary, Handler handler) {
        return add(HandlerType.GET, path, summary, handler);
    }

    public Routes post(String path, String summary, Handler handler) {
        return add(HandlerType.POST, path, summary, handler);
    }

    public Routes put(String path, String summary, Handler handler) {
        return add(HandlerType.PUT, path, summary, handler);
    }

    public Routes patch(String path, String summary, Handler handler) {
        return add(HandlerType.PATCH, path, summary, handler);
    }

    public Routes delete(String path, String summary, Handler handler) {
        return add(HandlerType.DELETE, path, summary, handler);
    }

    /** Describes the route added last in more detail for {@code /openapi.json} (see {@link Route#openApi}). */
    public Routes documented(Map<String, Object> openApi) {
        Route last = table.remove(table.size() - 1);
        table.add(new Route(last.method(), last.path(), last.summary(), last.handler(), openApi));
        return this;
    }

    private Routes add(HandlerType method, String path, String summary, Handler handler) {
        table.add(new Route(method, path, summary, handler, Map.of()));
        return this;
    }

    public Routes register(Feature feature) {
        feature.routes(this);
        return this;
    }

    public List<Route> table() {
        return List.copyOf(table);
    }

    public void mountOn(JavalinDefaultRouting routing) {
        for (Route r : table) {
            routing.addHttpHandler(r.method(), r.path(), r.handler());
        }
    }
}
