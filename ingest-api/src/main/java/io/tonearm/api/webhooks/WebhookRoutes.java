package io.tonearm.api.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.api.http.Routes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code /v1/webhooks} resource and its delivery log. */
public final class WebhookRoutes implements Routes.Feature {

    private static final int LOG_LIMIT = 100;

    private final WebhookService webhooks;

    public WebhookRoutes(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void routes(Routes routes) {
        routes.post("/v1/webhooks", "Register {url, events}; answers the signing secret once", this::create)
                .get("/v1/webhooks", "The account's webhooks", ctx -> ctx.json(Map.of("items", webhooks.list(Caller.of(ctx)))))
                .get("/v1/webhooks/{id}", "One webhook", ctx -> ctx.json(webhooks.get(Caller.of(ctx), ctx.pathParam("id"))))
                .delete("/v1/webhooks/{id}", "Delete a webhook: no further deliveries", this::delete)
                .get("/v1/webhooks/{id}/deliveries", "Delivery log: each event with every attempt (newest first)",
                        ctx -> ctx.json(Map.of("items", webhooks.deliveries(Caller.of(ctx), ctx.pathParam("id"), LOG_LIMIT))));
    }

    private void create(Context ctx) throws IOException {
        JsonNode body = Json.mapper().readTree(ctx.body());
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_body", "the body must be a JSON object {url, events}");
        }
        List<String> events = new ArrayList<>();
        JsonNode e = body.get("events");
        if (e != null && e.isArray()) {
            e.forEach(n -> events.add(n.asText()));
        } else if (e != null) {
            throw ApiException.badRequest("invalid_events", "events is a list of event names");
        }
        JsonNode url = body.get("url");
        ctx.status(HttpStatus.CREATED).json(webhooks.create(Caller.of(ctx), url == null ? null : url.asText(), events));
    }

    private void delete(Context ctx) {
        webhooks.delete(Caller.of(ctx), ctx.pathParam("id"));
        ctx.status(HttpStatus.NO_CONTENT);
    }
}
