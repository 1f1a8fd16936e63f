package io.tonearm.pipeline.analysis;

import io.tonearm.pipeline.analysis.output.SearchUpdate;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the Elasticsearch sink (another module's work): keeps the search updates for assertions. */
final class CollectingSearchSink implements Sink<SearchUpdate> {

    static final List<SearchUpdate> UPDATES = new CopyOnWriteArrayList<>();

    @Override
    public SinkWriter<SearchUpdate> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(SearchUpdate element, Context context) {
                UPDATES.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
