package io.tonearm.api.search;

import io.tonearm.sinks.elasticsearch.SearchIndex;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where {@code GET /v1/search} reads: an Elasticsearch node and the index the pipeline's search sink writes.
 *
 * @param elasticsearchUrl the node's URL, e.g. {@code http://127.0.0.1:9200}; a supplier because {@code tonearm up}
 *                         starts the API before its Elasticsearch is up (it answers null until then); null when
 *                         search is not configured (the endpoint answers 503)
 * @param index            the index (alias) the search sink writes
 */
public record SearchSettings(Supplier<String> elasticsearchUrl, SearchIndex index) {

    public SearchSettings {
        Objects.requireNonNull(index, "index");
    }

    /** No Elasticsearch: {@code /v1/search} answers 503 {@code search_unavailable}. */
    public static SearchSettings none() {
        return new SearchSettings(null, SearchIndex.defaults());
    }

    /** The node at {@code url} (null or blank: none), the default index {@code tonearm-search}. */
    public static SearchSettings at(String url) {
        return url == null || url.isBlank() ? none() : whenReady(() -> url.strip());
    }

    /** A node whose URL is known later; the supplier answers null until then. */
    public static SearchSettings whenReady(Supplier<String> url) {
        return new SearchSettings(Objects.requireNonNull(url, "url"), SearchIndex.defaults());
    }

    public SearchSettings withIndex(SearchIndex searchIndex) {
        return new SearchSettings(elasticsearchUrl, searchIndex);
    }

    public boolean configured() {
        return elasticsearchUrl != null;
    }
}
