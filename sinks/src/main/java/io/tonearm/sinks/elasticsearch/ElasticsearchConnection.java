package io.tonearm.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * An {@link ElasticsearchClient} over the low-level REST client, and the HTTP threads behind it: close it (they
 * keep a JVM alive otherwise). Thread-safe; share one per process.
 */
public final class ElasticsearchConnection implements AutoCloseable {
    private final RestClientTransport transport;
    private final ElasticsearchClient client;

    private ElasticsearchConnection(RestClientTransport transport) {
        this.transport = transport;
        this.client = new ElasticsearchClient(transport);
    }

    /** Connects to nodes given as URLs, e.g. {@code http://127.0.0.1:9200}. Nothing is sent until first use. */
    public static ElasticsearchConnection open(List<String> urls) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("no Elasticsearch URL");
        }
        HttpHost[] hosts = urls.stream().map(HttpHost::create).toArray(HttpHost[]::new);
        RestClient rest = RestClient.builder(hosts).build();
        return new ElasticsearchConnection(new RestClientTransport(rest, new JacksonJsonpMapper(SearchDocumentJson.MAPPER)));
    }

    public static ElasticsearchConnection open(String url) {
        return open(List.of(url));
    }

    public ElasticsearchClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
