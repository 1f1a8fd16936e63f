package io.tonearm.sinks.elasticsearch;

import java.io.IOException;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * One subtask of {@link ElasticsearchSink}: buffers into a {@link SearchBulkWriter}, flushes on size, on a
 * processing-time timer and in {@link #flush}. Holds no state across checkpoints: {@link #flush} empties the
 * buffer before each barrier. Timers run in the task's mailbox thread, so nothing here is shared between threads.
 */
final class ElasticsearchSinkWriter implements SinkWriter<SearchAction> {
    private final ElasticsearchConnection connection;
    private final SearchBulkWriter bulk;
    private final ProcessingTimeService time;
    private final int maxActions;
    private final long intervalMillis;
    private boolean timerPending;

    ElasticsearchSinkWriter(ElasticsearchSink sink, WriterInitContext context) throws IOException {
        this.connection = ElasticsearchConnection.open(sink.hosts());
        try {
            if (sink.applyIndexOnStart()) {
                sink.index().apply(connection.client());
            }
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        SinkCounters counters = new SinkCounters();
        SinkWriterMetricGroup metrics = context.metricGroup();
        metrics.gauge("searchDocumentsWritten", counters.written::get);
        metrics.gauge("searchDocumentsDeleted", counters.deleted::get);
        metrics.gauge("searchDocumentsRejected", counters.rejected::get);
        metrics.gauge("searchRetries", counters.retries::get);
        metrics.gauge("searchBulkRequests", counters.bulkRequests::get);
        this.bulk = new SearchBulkWriter(connection.client(), sink.index().alias(), sink.retryPolicy(), counters);
        this.time = context.getProcessingTimeService();
        this.maxActions = sink.bulkFlushMaxActions();
        this.intervalMillis = sink.bulkFlushInterval().toMillis();
    }

    @Override
    public void write(SearchAction action, Context context) throws IOException, InterruptedException {
        bulk.add(action);
        if (bulk.buffered() >= maxActions) {
            bulk.flush();
        } else if (intervalMillis > 0 && !timerPending) {
            timerPending = true;
            time.registerTimer(time.getCurrentProcessingTime() + intervalMillis, now -> {
                timerPending = false;
                if (bulk.buffered() > 0) {
                    bulk.flush();
                }
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        bulk.flush();
    }

    @Override
    public void close() {
        connection.close();
    }
}
