package io.tonearm.api.system;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tonearm.api.http.Routes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Unauthenticated operational endpoints: {@code /health} and {@code /metrics}. */
public final class SystemRoutes implements Routes.Feature {

    private final List<HealthCheck> checks;
    private final Metrics metrics;

    public SystemRoutes(List<HealthCheck> checks, Metrics metrics) {
        this.checks = List.copyOf(checks);
        this.metrics = metrics;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/health", "Status of PostgreSQL, Kafka and the blob store; 503 when one is down", this::health)
                .get("/metrics", "Prometheus metrics", this::metrics);
    }

    private void health(Context ctx) {
        Map<String, String> status = new LinkedHashMap<>();
        boolean up = true;
        for (HealthCheck c : checks) {
            boolean ok = c.isHealthy();
            up &= ok;
            status.put(c.name(), ok ? "up" : "down");
        }
        ctx.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(Map.of("status", up ? "up" : "down", "checks", status));
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render());
    }
}
