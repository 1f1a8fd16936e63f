package io.tonearm.sinks.elasticsearch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink sink (Sink V2) that applies {@link SearchAction}s to the search index of {@link SearchIndex}: one
 * document per {@code asset_id}, partial documents merged into the stored one (see {@link SearchBulkWriter}).
 * Build it with {@link #builder()}:
 *
 * <pre>{@code
 * ElasticsearchSink sink = ElasticsearchSink.builder()
 *         .setHosts("http://127.0.0.1:9200")
 *         .setIndex(SearchIndex.withPrefix("tonearm"))
 *         .build();
 * documents.map(SearchAction::upsert).sinkTo(sink);
 * }</pre>
 *
 * <h2>Delivery guarantee</h2>
 * At-least-once delivery of idempotent operations, which makes the index effectively exactly-once:
 * <ul>
 *   <li>The writer buffers actions and sends them in bulk when {@code bulkFlushMaxActions} assets are buffered,
 *       when {@code bulkFlushInterval} has passed since the first buffered one, and always in
 *       {@link SinkWriter#flush}, which Flink calls before every checkpoint barrier and at the end of input. A
 *       checkpoint therefore completes only once everything before it is in Elasticsearch.</li>
 *   <li>Retryable failures (429, 5xx, lost connections; see {@link RetryPolicy}) are retried with exponential
 *       backoff; when the retries run out, the writer throws and the job restarts from its last checkpoint, so
 *       nothing is silently lost. Documents Elasticsearch rejects for good (mapping errors) are logged, counted in
 *       the {@code searchDocumentsRejected} metric and dropped, so one bad document cannot stall the job.</li>
 *   <li>After a restart, actions since the last checkpoint are applied again. Every operation is keyed by
 *       {@code asset_id} and a merge overwrites fields with the values they had before, so replaying yields the same
 *       documents: no duplicates, no double counting. Readers may briefly see a state written after the last
 *       checkpoint that the replay then rewrites identically.</li>
 * </ul>
 * Concurrent writers of one asset (parallel subtasks, two jobs) are safe: merges use optimistic concurrency.
 * Actions for one asset must arrive in order, i.e. come through one partition or key group.
 *
 * <p>Metrics (per subtask): {@code searchDocumentsWritten}, {@code searchDocumentsDeleted},
 * {@code searchDocumentsRejected}, {@code searchRetries}, {@code searchBulkRequests}.
 */
public final class ElasticsearchSink implements Sink<SearchAction> {
    private static final long serialVersionUID = 1L;

    private final List<String> hosts;
    private final SearchIndex index;
    private final int bulkFlushMaxActions;
    private final Duration bulkFlushInterval;
    private final RetryPolicy retryPolicy;
    private final boolean applyIndexOnStart;

    ElasticsearchSink(List<String> hosts, SearchIndex index, int bulkFlushMaxActions, Duration bulkFlushInterval,
                      RetryPolicy retryPolicy, boolean applyIndexOnStart) {
        this.hosts = List.copyOf(hosts);
        this.index = index;
        this.bulkFlushMaxActions = bulkFlushMaxActions;
        this.bulkFlushInterval = bulkFlushInterval;
        this.retryPolicy = retryPolicy;
        this.applyIndexOnStart = applyIndexOnStart;
    }

    public static ElasticsearchSinkBuilder builder() {
        return new ElasticsearchSinkBuilder();
    }

    @Override
    public SinkWriter<SearchAction> createWriter(WriterInitContext context) throws IOException {
        return new ElasticsearchSinkWriter(this, context);
    }

    List<String> hosts() {
        return hosts;
    }

    SearchIndex index() {
        return index;
    }

    int bulkFlushMaxActions() {
        return bulkFlushMaxActions;
    }

    Duration bulkFlushInterval() {
        return bulkFlushInterval;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    boolean applyIndexOnStart() {
        return applyIndexOnStart;
    }
}
