package io.tonearm.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.tonearm.localstack.LocalStack;
import java.io.IOException;
import java.util.UUID;

/** The real Elasticsearch of this test run (started once per JVM) and a fresh index per test. */
final class TestElasticsearch {
    private TestElasticsearch() {
    }

    static String url() {
        return LocalStack.shared().elasticsearch().httpUrl();
    }

    static ElasticsearchConnection connect() {
        return ElasticsearchConnection.open(url());
    }

    /** A new, applied index with a unique prefix, so tests never see each other's documents. */
    static SearchIndex freshIndex(ElasticsearchClient client) throws IOException {
        SearchIndex index = SearchIndex.withPrefix("t" + UUID.randomUUID().toString().substring(0, 8));
        index.apply(client);
        return index;
    }

    static long count(ElasticsearchClient client, SearchIndex index) throws IOException {
        client.indices().refresh(r -> r.index(index.alias()));
        return client.count(c -> c.index(index.alias())).count();
    }

    static SearchDocument stored(ElasticsearchClient client, SearchIndex index, String id) throws IOException {
        var got = client.get(g -> g.index(index.alias()).id(id), SearchDocument.class);
        return got.found() ? got.source() : null;
    }
}
