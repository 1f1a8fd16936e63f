package io.tonearm.sinks.postgres;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Buffers writes and flushes them as one {@link PostgresWriteBatch}: when {@code batchSize} are waiting, when the
 * oldest has waited {@code flushInterval}, and on {@link #flush} (before each checkpoint barrier and at the end of
 * input). Timer callbacks run on the task's mailbox thread, so no locking is needed.
 */
final class PostgresWriteWriter implements SinkWriter<PostgresWrite> {

    private final PostgresWriteBatch batch;
    private final int batchSize;
    private final long flushIntervalMs;
    private final ProcessingTimeService time;
    private final List<PostgresWrite> buffer = new ArrayList<>();
    private boolean timerPending;

    PostgresWriteWriter(PostgresWriteBatch batch, int batchSize, Duration flushInterval, ProcessingTimeService time) {
        this.batch = batch;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushInterval.toMillis();
        this.time = time;
    }

    @Override
    public void write(PostgresWrite element, Context context) throws IOException, InterruptedException {
        buffer.add(element);
        if (buffer.size() >= batchSize) {
            flushBuffer();
        } else if (!timerPending) {
            timerPending = true;
            time.registerTimer(time.getCurrentProcessingTime() + flushIntervalMs, t -> {
                timerPending = false;
                flushBuffer();
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBuffer();
    }

    private void flushBuffer() throws IOException, InterruptedException {
        if (buffer.isEmpty()) return;
        batch.apply(List.copyOf(buffer));
        buffer.clear();
    }

    @Override
    public void close() {
        batch.close();
    }
}
