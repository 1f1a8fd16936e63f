package io.tonearm.pipeline.catalog;

import io.tonearm.pipeline.catalog.register.Registered;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every registration outcome for assertions (the job's outcome sink is the caller's choice). */
final class CollectingOutcomes implements Sink<Registered> {

    static final List<Registered> OUTCOMES = new CopyOnWriteArrayList<>();

    @Override
    public SinkWriter<Registered> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Registered element, Context context) {
                OUTCOMES.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }

    static long count(String status) {
        return OUTCOMES.stream().filter(o -> o.status().equals(status)).count();
    }
}
