package io.tonearm.sinks.elasticsearch;

import java.io.IOException;
import java.util.List;

/**
 * Writes search documents the way the analysis job's search sink does, without Flink (which the API must not
 * depend on): the sink's own index setup ({@link SearchIndex#apply}) and its bulk writer ({@link SearchBulkWriter},
 * the Flink-free core {@code ElasticsearchSinkWriter} delegates to, package-private hence this class's package).
 * Test sources only.
 */
public final class PipelineSearchWrites {

    private PipelineSearchWrites() {
    }

    /** Applies the index, upserts the documents (merging like the sink), and refreshes so searches see them. */
    public static void upsert(ElasticsearchConnection es, SearchIndex index, List<SearchDocument> documents)
            throws IOException, InterruptedException {
        index.apply(es.client());
        SearchBulkWriter writer = new SearchBulkWriter(es.client(), index.alias(), RetryPolicy.defaults(), new SinkCounters());
        documents.forEach(d -> writer.add(SearchAction.upsert(d)));
        writer.flush();
        es.client().indices().refresh(r -> r.index(index.alias()));
    }
}
