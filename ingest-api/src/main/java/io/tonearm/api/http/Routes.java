package io.tonearm.api.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRouting;

import java.util.ArrayList;
import java.util.List;

/**
 * The route table: each feature adds its endpoints here (method, path, one-line summary, handler), the server
 * mounts them on Javalin, and the OpenAPI document is generated from the same table, so docs cannot drift.
 */
public final class Routes {

    /** One endpoint. {@code authenticated} routes live under {@code /v1} and need a Bearer key. */
    public record Route(HandlerType method, String path, String summary, Handler handler) {
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

    private Routes add(HandlerType method, String path, String summary, Handler handler) {
        table.add(new Route(method, path, summary, handler));
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
