package io.tonearm.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.get.GetResult;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers {@link SearchAction}s and writes them in bulk: the Flink-free core of {@link ElasticsearchSink}.
 *
 * <p>Actions for the same asset are folded in arrival order (upserts merge field by field, a delete discards what
 * came before it), so a flush sends one operation per asset. An upsert is a read-merge-write: the stored document
 * is fetched ({@code _mget}), overlaid with the new fields, its {@code features} recomputed, and written back with
 * {@code if_seq_no}/{@code if_primary_term} (or {@code op_type=create} when absent). A concurrent writer makes that
 * item fail with 409, and it is merged again from the newer stored version. Scripted updates would avoid the read,
 * but the feature vector depends on all fields, and this integ-test Elasticsearch has no scripting anyway.
 *
 * <p>{@link #flush()} returns when every buffered action is applied or dropped as invalid (4xx other than 409,
 * logged and counted in {@code rejected}); it throws {@link ElasticsearchSinkException} when retryable failures
 * (see {@link RetryPolicy}) outlast the policy. Not thread-safe: the Flink writer calls it from the task thread.
 */
final class SearchBulkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SearchBulkWriter.class);

    /** An asset's folded actions: {@code partial} null means delete; {@code replace} ignores the stored document. */
    private record Pending(boolean replace, ObjectNode partial) {
    }

    private record Stored(ObjectNode source, long seqNo, long primaryTerm) {
    }

    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final ElasticsearchClient client;
    private final String index;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final SinkCounters counters;
    private LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

    SearchBulkWriter(ElasticsearchClient client, String index, RetryPolicy retry, SinkCounters counters) {
        this(client, index, retry, counters, Thread::sleep);
    }

    SearchBulkWriter(ElasticsearchClient client, String index, RetryPolicy retry, SinkCounters counters, Sleeper sleeper) {
        this.client = client;
        this.index = index;
        this.retry = retry;
        this.counters = counters;
        this.sleeper = sleeper;
    }

    void add(SearchAction action) {
        String id = action.assetId();
        if (action.type() == SearchAction.Type.DELETE) {
            pending.put(id, new Pending(true, null));
            return;
        }
        ObjectNode fields = SearchDocumentJson.toJson(action.document());
        fields.remove("features"); // recomputed from the merged document
        fields.remove("features_version");
        Pending before = pending.get(id);
        if (before == null) {
            pending.put(id, new Pending(false, fields));
        } else if (before.partial() == null) {
            pending.put(id, new Pending(true, fields));
        } else {
            before.partial().setAll(fields);
        }
    }

    /** Assets with buffered changes. */
    int buffered() {
        return pending.size();
    }

    /** Applies every buffered action; see the class comment for failures. */
    void flush() throws IOException, InterruptedException {
        Map<String, Pending> todo = pending;
        pending = new LinkedHashMap<>();
        for (int attempt = 1; !todo.isEmpty(); attempt++) {
            Map<String, Stored> stored = read(todo);
            BulkRequest request = bulk(todo, stored);
            BulkResponse response = call("bulk of " + todo.size(), () -> client.bulk(request));
            counters.bulkRequests.incrementAndGet();
            Map<String, Pending> again = new LinkedHashMap<>();
            boolean throttled = false;
            int lastStatus = 0;
            String lastReason = null;
            for (BulkResponseItem item : response.items()) {
                Pending p = todo.get(item.id());
                int status = item.status();
                if (item.error() == null && status < 300 || p.partial() == null && status == 404) {
                    (p.partial() == null ? counters.deleted : counters.written).incrementAndGet();
                } else if (status == 409 || RetryPolicy.isRetryable(status)) {
                    again.put(item.id(), p);
                    throttled |= status != 409;
                    lastStatus = status;
                    lastReason = reason(item);
                } else {
                    counters.rejected.incrementAndGet();
                    LOG.warn("Elasticsearch refused {} of asset {} ({}): {}; dropped", p.partial() == null ? "the delete" : "the document",
                            item.id(), status, reason(item));
                }
            }
            todo = again;
            if (!todo.isEmpty()) {
                if (!retry.mayRetryAfter(attempt)) {
                    throw new ElasticsearchSinkException(todo.size() + " search documents not written after " + attempt
                            + " attempts; last failure " + lastStatus + ": " + lastReason);
                }
                counters.retries.addAndGet(todo.size());
                if (throttled) {
                    sleeper.sleep(retry.backoffAfter(attempt).toMillis());
                }
            }
        }
    }

    private Map<String, Stored> read(Map<String, Pending> todo) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        todo.forEach((id, p) -> {
            if (!p.replace()) {
                ids.add(id);
            }
        });
        Map<String, Stored> stored = new HashMap<>();
        if (ids.isEmpty()) {
            return stored;
        }
        MgetResponse<ObjectNode> response = call("read of " + ids.size(), () -> client.mget(m -> m.index(index).ids(ids), ObjectNode.class));
        for (MultiGetResponseItem<ObjectNode> item : response.docs()) {
            if (item.isFailure()) {
                throw new ElasticsearchSinkException("reading search document " + item.failure().id() + " failed: "
                        + item.failure().error().reason());
            }
            GetResult<ObjectNode> result = item.result();
            if (result.found() && result.source() != null) {
                stored.put(result.id(), new Stored(result.source(), result.seqNo(), result.primaryTerm()));
            }
        }
        return stored;
    }

    private BulkRequest bulk(Map<String, Pending> todo, Map<String, Stored> stored) {
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        todo.forEach((id, p) -> {
            if (p.partial() == null) {
                bulk.operations(op -> op.delete(d -> d.index(index).id(id)));
            } else if (p.replace()) {
                ObjectNode doc = SearchDocumentJson.merge(null, p.partial());
                bulk.operations(op -> op.index(i -> i.index(index).id(id).document(doc)));
            } else {
                Stored s = stored.get(id);
                ObjectNode doc = SearchDocumentJson.merge(s == null ? null : s.source(), p.partial());
                if (s == null) {
                    bulk.operations(op -> op.create(c -> c.index(index).id(id).document(doc)));
                } else {
                    bulk.operations(op -> op.index(i -> i.index(index).id(id).document(doc)
                            .ifSeqNo(s.seqNo()).ifPrimaryTerm(s.primaryTerm())));
                }
            }
        });
        return bulk.build();
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    /** One request, repeated with backoff while it fails in a retryable way. */
    private <T> T call(String what, Call<T> call) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (IOException | RuntimeException e) {
                if (!RetryPolicy.isRetryable(e)) {
                    throw e;
                }
                if (!retry.mayRetryAfter(attempt)) {
                    throw new ElasticsearchSinkException("Elasticsearch " + what + " failed " + attempt + " times", e);
                }
                counters.retries.incrementAndGet();
                long wait = retry.backoffAfter(attempt).toMillis();
                LOG.info("Elasticsearch {} failed ({}); attempt {} in {} ms", what, e.getMessage(), attempt + 1, wait);
                sleeper.sleep(wait);
            }
        }
    }

    private static String reason(BulkResponseItem item) {
        return item.error() == null ? "status " + item.status() : item.error().type() + ": " + item.error().reason();
    }
}
