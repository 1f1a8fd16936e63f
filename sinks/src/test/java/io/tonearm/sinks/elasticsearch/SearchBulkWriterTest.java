package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sink's write path against the real Elasticsearch, without Flink. */
class SearchBulkWriterTest {
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40));
    private static ElasticsearchConnection connection;
    private static ElasticsearchClient client;
    private SearchIndex index;
    private SinkCounters counters;

    @BeforeAll
    static void connect() {
        connection = TestElasticsearch.connect();
        client = connection.client();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @BeforeEach
    void freshIndex() throws Exception {
        index = TestElasticsearch.freshIndex(client);
        counters = new SinkCounters();
    }

    private SearchBulkWriter writer(ElasticsearchClient through) {
        return new SearchBulkWriter(through, index.alias(), FAST, counters);
    }

    static SearchDocument doc(String id, String account, Map<String, String> results) throws Exception {
        Map<String, JsonNode> json = new HashMap<>();
        for (var e : results.entrySet()) {
            json.put(e.getKey(), SearchDocumentJson.MAPPER.readTree(e.getValue()));
        }
        return SearchDocument.of(new SearchDocument.Asset(id, account, "sha-" + id, id + ".wav", 200.0,
                Instant.parse("2026-11-20T10:00:00Z")), json);
    }

    @Test
    void resultsArrivingApartMergeIntoOneDocument() throws Exception {
        SearchBulkWriter writer = writer(client);
        writer.add(SearchAction.upsert(doc("a1", "acc", Map.of("bpm", "{\"tempo\":120,\"confidence\":0.9}"))));
        writer.flush();
        SearchDocument.Asset bare = new SearchDocument.Asset("a1", "acc", null, null, null, null);
        writer.add(SearchAction.upsert(SearchDocument.of(bare, Map.of("key",
                SearchDocumentJson.MAPPER.readTree("{\"key\":\"D\",\"mode\":\"minor\",\"key_camelot\":\"7A\"}")))));
        writer.flush();

        SearchDocument stored = TestElasticsearch.stored(client, index, "a1");
        assertThat(stored.tempo()).isEqualTo(120.0);
        assertThat(stored.key()).isEqualTo("D");
        assertThat(stored.filename()).isEqualTo("a1.wav");
        assertThat(stored.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(stored.features()).containsExactly(FeatureVector.of("D", "minor", 120.0, null, null, null));
        assertThat(TestElasticsearch.count(client, index)).isEqualTo(1);
    }

    @Test
    void resendingTheSameIdsAddsNothing() throws Exception {
        SearchBulkWriter writer = writer(client);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20; i++) {
                writer.add(SearchAction.upsert(doc("r" + i, "acc", Map.of("bpm", "{\"tempo\":" + (100 + i) + "}"))));
            }
            writer.flush();
        }
        assertThat(TestElasticsearch.count(client, index)).isEqualTo(20);
        assertThat(counters.written.get()).isEqualTo(60);
        assertThat(TestElasticsearch.stored(client, index, "r7").tempo()).isEqualTo(107.0);
    }

    @Test
    void actionsOfOneAssetFoldInOrderWithinABatch() throws Exception {
        SearchBulkWriter writer = writer(client);
        writer.add(SearchAction.upsert(doc("d1", "acc", Map.of("bpm", "{\"tempo\":90}"))));
        writer.add(SearchAction.upsert(doc("d2", "acc", Map.of("bpm", "{\"tempo\":91}"))));
        writer.flush();
        writer.add(SearchAction.delete("d1"));
        writer.add(SearchAction.upsert(doc("d2", "acc", Map.of("key", "{\"key\":\"E\",\"mode\":\"major\"}"))));
        writer.add(SearchAction.delete("d2"));
        writer.add(SearchAction.upsert(doc("d2", "acc", Map.of("key", "{\"key\":\"F\",\"mode\":\"major\"}"))));
        writer.add(SearchAction.delete("never-existed"));
        assertThat(writer.buffered()).isEqualTo(3);
        writer.flush();

        assertThat(TestElasticsearch.stored(client, index, "d1")).isNull();
        SearchDocument d2 = TestElasticsearch.stored(client, index, "d2");
        assertThat(d2.key()).isEqualTo("F");
        assertThat(d2.tempo()).as("the delete discarded the stored tempo").isNull();
        assertThat(counters.deleted.get()).isEqualTo(2);
    }

    @Test
    void throttledRequestsAreRetriedWithBackoff() throws Exception {
        try (ThrottlingProxy proxy = new ThrottlingProxy(TestElasticsearch.url(), "_bulk", 2, 429);
             ElasticsearchConnection viaProxy = ElasticsearchConnection.open(proxy.url())) {
            SearchBulkWriter writer = writer(viaProxy.client());
            for (int i = 0; i < 10; i++) {
                writer.add(SearchAction.upsert(doc("t" + i, "acc", Map.of("bpm", "{\"tempo\":128}"))));
            }
            writer.flush();
            assertThat(proxy.seen.stream().filter(r -> r.contains("_bulk"))).hasSize(3);
        }
        assertThat(counters.retries.get()).isEqualTo(2);
        assertThat(TestElasticsearch.count(client, index)).isEqualTo(10);
    }

    @Test
    void throttledItemsAreRetriedWithBackoff() throws Exception {
        List<Long> waits = new ArrayList<>();
        try (ThrottlingProxy proxy = new ThrottlingProxy(TestElasticsearch.url(), "_bulk", 2, 429, true);
             ElasticsearchConnection viaProxy = ElasticsearchConnection.open(proxy.url())) {
            SearchBulkWriter writer = new SearchBulkWriter(viaProxy.client(), index.alias(), FAST, counters, waits::add);
            for (int i = 0; i < 5; i++) {
                writer.add(SearchAction.upsert(doc("i" + i, "acc", Map.of("bpm", "{\"tempo\":128}"))));
            }
            writer.add(SearchAction.delete("i-gone"));
            writer.flush();
            assertThat(proxy.seen.stream().filter(r -> r.contains("_bulk"))).hasSize(3);
        }
        assertThat(waits).containsExactly(10L, 20L); // FAST's backoff after attempts 1 and 2
        assertThat(counters.retries.get()).isEqualTo(12); // 6 items, twice
        assertThat(counters.written.get()).isEqualTo(5);
        assertThat(counters.deleted.get()).isEqualTo(1);
        assertThat(TestElasticsearch.count(client, index)).isEqualTo(5);
    }

    @Test
    void aChangeByAnotherWriterBetweenReadAndWriteIsMergedAgain() throws Exception {
        SearchBulkWriter first = writer(client);
        first.add(SearchAction.upsert(doc("c1", "acc", Map.of("bpm", "{\"tempo\":120}"))));
        first.flush();
        SearchDocument.Asset bare = new SearchDocument.Asset("c1", "acc", null, null, null, null);
        try (ThrottlingProxy proxy = new ThrottlingProxy(TestElasticsearch.url(), "_bulk", 0, 429);
             ElasticsearchConnection viaProxy = ElasticsearchConnection.open(proxy.url())) {
            // after our writer has read c1 and before its write lands, someone else stores the key
            proxy.beforeFirstForward.set(() -> {
                try {
                    SearchBulkWriter other = new SearchBulkWriter(client, index.alias(), FAST, new SinkCounters());
                    other.add(SearchAction.upsert(SearchDocument.of(bare, Map.of("key",
                            SearchDocumentJson.MAPPER.readTree("{\"key\":\"C\",\"mode\":\"major\"}")))));
                    other.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            SearchBulkWriter writer = writer(viaProxy.client());
            writer.add(SearchAction.upsert(SearchDocument.of(bare, Map.of("loudness-ebur128",
                    SearchDocumentJson.MAPPER.readTree("{\"integrated_lufs\":-9.5,\"loudness_range\":4}")))));
            writer.flush();
            assertThat(proxy.seen.stream().filter(r -> r.contains("_mget"))).as("read again after the conflict").hasSize(2);
        }
        assertThat(counters.retries.get()).isEqualTo(1);
        SearchDocument stored = TestElasticsearch.stored(client, index, "c1");
        assertThat(stored.tempo()).isEqualTo(120.0);
        assertThat(stored.key()).isEqualTo("C");
        assertThat(stored.integratedLufs()).isEqualTo(-9.5);
        assertThat(stored.features()).containsExactly(FeatureVector.of("C", "major", 120.0, -9.5, 4.0, null));
    }

    @Test
    void givesUpAfterTheLastAttemptSoTheJobRestarts() throws Exception {
        try (ThrottlingProxy proxy = new ThrottlingProxy(TestElasticsearch.url(), "_mget", 100, 503);
             ElasticsearchConnection viaProxy = ElasticsearchConnection.open(proxy.url())) {
            SearchBulkWriter writer = writer(viaProxy.client());
            writer.add(SearchAction.upsert(doc("g1", "acc", Map.of("bpm", "{\"tempo\":128}"))));
            assertThatThrownBy(writer::flush).isInstanceOf(ElasticsearchSinkException.class).hasMessageContaining("4 times");
            assertThat(proxy.seen.stream().filter(r -> r.contains("_mget"))).hasSize(FAST.maxAttempts());
        }
    }

    @Test
    void documentsTheMappingRefusesAreDroppedAndCounted() throws Exception {
        // An index whose key field takes only numbers: the document of a1 can never be written there.
        String strict = index.prefix() + "-strict";
        client.indices().create(c -> c.index(strict).settings(s -> s.numberOfReplicas("0"))
                .mappings(m -> m.properties("key", p -> p.integer(i -> i))));
        SearchBulkWriter writer = new SearchBulkWriter(client, strict, FAST, counters);
        writer.add(SearchAction.upsert(doc("bad", "acc", Map.of("key", "{\"key\":\"A\",\"mode\":\"minor\"}"))));
        writer.add(SearchAction.upsert(doc("good", "acc", Map.of("bpm", "{\"tempo\":99}"))));
        writer.flush();
        assertThat(counters.rejected.get()).isEqualTo(1);
        assertThat(counters.written.get()).isEqualTo(1);
        assertThat(counters.retries.get()).isZero();
        client.indices().delete(d -> d.index(strict));
    }
}
