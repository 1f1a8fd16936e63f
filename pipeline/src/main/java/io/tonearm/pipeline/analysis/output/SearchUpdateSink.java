package io.tonearm.pipeline.analysis.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;
import io.tonearm.sinks.elasticsearch.SearchAction;
import io.tonearm.sinks.elasticsearch.SearchDocument;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feeds {@link SearchUpdate}s to a search-index sink of {@link SearchAction}s (the Elasticsearch sink),
 * converting inside the writer so the stream between operators keeps a plain record type. Delivery is the
 * wrapped sink's (at-least-once of idempotent merges keyed by asset id); flushes pass through, so checkpoints
 * still wait for the index.
 */
public final class SearchUpdateSink implements Sink<SearchUpdate> {

    private final Sink<SearchAction> index;

    public SearchUpdateSink(Sink<SearchAction> index) {
        this.index = index;
    }

    @Override
    public SinkWriter<SearchUpdate> createWriter(WriterInitContext context) throws IOException {
        SinkWriter<SearchAction> writer = index.createWriter(context);
        return new SinkWriter<>() {
            @Override
            public void write(SearchUpdate update, Context ctx) throws IOException, InterruptedException {
                writer.write(toAction(update), ctx);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                writer.flush(endOfInput);
            }

            @Override
            public void close() throws Exception {
                writer.close();
            }
        };
    }

    /** A delete, or the asset's document built from the per-analyzer summaries. */
    static SearchAction toAction(SearchUpdate u) throws IOException {
        if (u.deleted()) return SearchAction.delete(u.assetId());
        Map<String, JsonNode> results = new LinkedHashMap<>();
        JsonNode all = Json.mapper().readTree(u.summariesJson() == null ? "{}" : u.summariesJson());
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            results.put(e.getKey(), e.getValue());
        }
        return SearchAction.upsert(SearchDocument.of(new SearchDocument.Asset(u.assetId(), u.accountId(), u.sha256(),
                u.filename(), u.durationSeconds(), u.createdAt()), results));
    }
}
