package io.tonearm.sinks.postgres;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The pipeline's PostgreSQL sink: result rows and job transitions in the order they were emitted, each flush one
 * transaction. flink-connector-jdbc's sink binds one statement per sink, and two sinks flush independently, so a
 * client could read a job as {@code succeeded} while its result rows were still in the other sink's batch; one
 * ordered, transactional batch rules that out.
 *
 * <p>Delivery: at-least-once. Buffered writes are flushed when the batch is full, after {@code flushInterval}, and
 * before every checkpoint barrier passes, so a write is in the table no later than the checkpoint that covers it;
 * after a failover the writes since the last checkpoint are applied again, which is harmless because every
 * statement is an idempotent upsert ({@link ResultUpsert}, {@link JobTransitionUpsert}: same values, statuses
 * only move forward).
 */
public final class PostgresWriteSink implements Sink<PostgresWrite> {

    private final PostgresConnection pg;
    private final int batchSize;
    private final Duration flushInterval;
    private final int maxRetries;

    private PostgresWriteSink(Builder b) {
        this.pg = Objects.requireNonNull(b.pg, "connection");
        this.batchSize = b.batchSize;
        this.flushInterval = b.flushInterval;
        this.maxRetries = b.maxRetries;
    }

    public static Builder builder(PostgresConnection pg) {
        return new Builder(pg);
    }

    @Override
    public SinkWriter<PostgresWrite> createWriter(WriterInitContext context) throws IOException {
        return new PostgresWriteWriter(new PostgresWriteBatch(pg, maxRetries), batchSize, flushInterval,
                context.getProcessingTimeService());
    }

    public static final class Builder {
        private final PostgresConnection pg;
        private int batchSize = 200;
        private Duration flushInterval = Duration.ofMillis(200);
        private int maxRetries = 3;

        private Builder(PostgresConnection pg) {
            this.pg = pg;
        }

        public Builder batchSize(int n) {
            if (n < 1) throw new IllegalArgumentException("batch size must be positive");
            this.batchSize = n;
            return this;
        }

        /** How long a write may wait in the buffer for more to join it (bounds how soon results are readable). */
        public Builder flushInterval(Duration d) {
            this.flushInterval = Objects.requireNonNull(d);
            return this;
        }

        public Builder maxRetries(int n) {
            this.maxRetries = n;
            return this;
        }

        public PostgresWriteSink build() {
            return new PostgresWriteSink(this);
        }
    }
}
