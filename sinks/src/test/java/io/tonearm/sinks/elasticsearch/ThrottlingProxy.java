package io.tonearm.sinks.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP proxy in front of the real Elasticsearch that answers the first {@code failures} matching requests with
 * {@code status} (Elasticsearch's own error body, as a node with a full write queue sends), then forwards.
 */
final class ThrottlingProxy implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger remainingFailures;
    final List<String> seen = new CopyOnWriteArrayList<>();
    /** Runs once, before the first matching request that is forwarded (e.g. a concurrent change by someone else). */
    final AtomicReference<Runnable> beforeFirstForward = new AtomicReference<>();

    private final boolean perItem;

    ThrottlingProxy(String target, String pathPart, int failures, int status) throws IOException {
        this(target, pathPart, failures, status, false);
    }

    /**
     * With {@code perItem}, a failed {@code _bulk} is answered 200 with every item failing with {@code status}, as a
     * node does when only some shards' write queues are full.
     */
    ThrottlingProxy(String target, String pathPart, int failures, int status, boolean perItem) throws IOException {
        this.perItem = perItem;
        this.remainingFailures = new AtomicInteger(failures);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> handle(exchange, target, pathPart, status));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange, String target, String pathPart, int status) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().toString();
            seen.add(exchange.getRequestMethod() + " " + path);
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.contains(pathPart) && remainingFailures.getAndDecrement() > 0) {
                if (perItem) {
                    answer(exchange, 200, itemFailures(body, status));
                    return;
                }
                byte[] error = ("{\"error\":{\"root_cause\":[],\"type\":\"es_rejected_execution_exception\","
                        + "\"reason\":\"rejected execution (simulated)\"},\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
                answer(exchange, status, error);
                return;
            }
            if (path.contains(pathPart)) {
                Runnable hook = beforeFirstForward.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + path))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bulk response failing each action line of the request (NDJSON: action, then document unless delete). */
    private static byte[] itemFailures(byte[] request, int status) throws IOException {
        StringBuilder items = new StringBuilder();
        String[] lines = new String(request, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            JsonNode action = MAPPER.readTree(lines[i]);
            String op = action.fieldNames().next();
            JsonNode meta = action.get(op);
            if (items.length() > 0) {
                items.append(',');
            }
            items.append("{\"").append(op).append("\":{\"_index\":").append(meta.get("_index")).append(",\"_id\":")
                    .append(meta.get("_id")).append(",\"status\":").append(status)
                    .append(",\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full (simulated)\"}}}");
            if (!op.equals("delete")) {
                i++; // skip the document line
            }
        }
        return ("{\"took\":1,\"errors\":true,\"items\":[" + items + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange exchange, int status, byte[] json) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
