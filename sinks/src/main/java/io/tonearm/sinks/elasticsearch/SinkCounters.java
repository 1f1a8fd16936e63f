package io.tonearm.sinks.elasticsearch;

import java.util.concurrent.atomic.AtomicLong;

/** What a {@link SearchBulkWriter} did; exposed as Flink metrics by the sink writer. */
final class SinkCounters {
    final AtomicLong written = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    /** Documents Elasticsearch refused for good (e.g. mapping errors): logged and dropped. */
    final AtomicLong rejected = new AtomicLong();
    /** Attempts repeated after a retryable failure (whole request or items) or a concurrent change. */
    final AtomicLong retries = new AtomicLong();
    final AtomicLong bulkRequests = new AtomicLong();
}
