package io.tonearm.launcher.up;

import io.tonearm.api.system.HealthCheck;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Elasticsearch is up when its cluster health is green or yellow ({@code GET /} is missing in the local build). */
final class ElasticsearchHealth implements HealthCheck {
    private static final Pattern USABLE = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow)\"");
    private final Supplier<String> url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param url the node's URL, or null while it is still starting */
    ElasticsearchHealth(Supplier<String> url) {
        this.url = url;
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public boolean isHealthy() {
        String base = url.get();
        if (base == null) {
            return false;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stripSlash(base) + "/_cluster/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && USABLE.matcher(r.body()).find();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
