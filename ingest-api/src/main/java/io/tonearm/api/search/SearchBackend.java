package io.tonearm.api.search;

import co.elastic.clients.elasticsearch._types.HealthStatus;
import io.javalin.http.HttpStatus;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.system.HealthCheck;
import io.tonearm.sinks.elasticsearch.ElasticsearchConnection;
import io.tonearm.sinks.elasticsearch.SearchRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The API's connection to Elasticsearch, made on first use: the node may start after the API ({@code tonearm up})
 * or be down for a while, so nothing here fails the API's start. The first use also applies the search index
 * (idempotent, the same call the pipeline's sink makes), so searching before anything was indexed answers an empty
 * page rather than an error. As a {@link HealthCheck} ({@code search}): the node answers and its cluster is green or
 * yellow.
 */
public final class SearchBackend implements HealthCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SearchBackend.class);

    private record Connected(ElasticsearchConnection connection, SearchRepository repository) {
    }

    private final SearchSettings settings;
    private volatile Connected connected;
    private boolean closed;

    public SearchBackend(SearchSettings settings) {
        this.settings = settings;
    }

    public boolean configured() {
        return settings.configured();
    }

    /** The repository; 503 {@code search_unavailable} when search is not configured or Elasticsearch not reachable. */
    public SearchRepository repository() {
        return connection().repository();
    }

    private Connected connection() {
        Connected c = connected;
        return c != null ? c : connect();
    }

    private synchronized Connected connect() {
        if (connected != null) {
            return connected;
        }
        if (!settings.configured()) {
            throw unavailable("search is not configured on this server: start the API with TONEARM_ELASTICSEARCH=<url>");
        }
        if (closed) {
            throw unavailable("the server is stopping");
        }
        String url = settings.elasticsearchUrl().get();
        if (url == null) {
            throw unavailable("Elasticsearch is still starting; try again shortly");
        }
        ElasticsearchConnection connection = ElasticsearchConnection.open(url);
        try {
            settings.index().apply(connection.client());
        } catch (IOException | RuntimeException e) {
            connection.close();
            LOG.warn("search index {} at {} not usable yet: {}", settings.index().alias(), url, e.toString());
            throw unavailable("Elasticsearch is not reachable; try again shortly");
        }
        LOG.info("search reads {} at {}", settings.index().alias(), url);
        connected = new Connected(connection, new SearchRepository(connection.client(), settings.index()));
        return connected;
    }

    /** A failed call to a node that answered before: 503 too, the client may retry. */
    static ApiException unreachable(IOException e) {
        LOG.warn("Elasticsearch call failed: {}", e.toString());
        return unavailable("Elasticsearch is not reachable; try again shortly");
    }

    private static ApiException unavailable(String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "search_unavailable", message);
    }

    @Override
    public String name() {
        return "search";
    }

    @Override
    public boolean isHealthy() {
        try {
            HealthStatus status = connection().connection().client().cluster().health(h -> h.timeout(t -> t.time("2s"))).status();
            return status == HealthStatus.Green || status == HealthStatus.Yellow;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connected != null) {
            connected.connection().close();
            connected = null;
        }
    }
}
