package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink in Flink jobs on a MiniCluster, writing to the real Elasticsearch. */
class ElasticsearchSinkTest {
    private static final int ASSETS = 50;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static ElasticsearchConnection connection;
    private static ElasticsearchClient client;

    @BeforeAll
    static void connect() {
        connection = TestElasticsearch.connect();
        client = connection.client();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    private static ElasticsearchSinkBuilder sinkFor(SearchIndex index) {
        return ElasticsearchSink.builder().setHosts(TestElasticsearch.url()).setIndex(index)
                .setRetryPolicy(new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(200)));
    }

    /** Asset {@code i % 50} with a tempo: an endless stream that keeps re-sending the same 50 documents. */
    static SearchAction tempoOf(long i) throws Exception {
        int n = (int) (i % ASSETS);
        return SearchAction.upsert(SearchBulkWriterTest.doc("f" + n, "acc", Map.of("bpm", "{\"tempo\":" + (100 + n) + "}")));
    }

    @Test
    void checkpointsFlushTheBufferAndResendingAddsNoDuplicates() throws Exception {
        SearchIndex index = SearchIndex.withPrefix("sink" + System.nanoTime());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(500);
        env.setParallelism(1);
        DataGeneratorSource<SearchAction> source = new DataGeneratorSource<>(
                (GeneratorFunction<Long, SearchAction>) ElasticsearchSinkTest::tempoOf, Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(200), TypeInformation.of(SearchAction.class));
        // Neither size (10000 assets) nor time (off) can trigger a bulk request: only the checkpoints' flush does.
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "documents")
                .sinkTo(sinkFor(index).setBulkFlushMaxActions(10_000).setBulkFlushInterval(Duration.ZERO).build());
        JobClient job = env.executeAsync("search sink checkpoints");
        try {
            awaitCount(index, ASSETS, Duration.ofSeconds(90));
            assertThat(job.getJobStatus().get()).as("still streaming").isEqualTo(JobStatus.RUNNING);
            Thread.sleep(2_000); // several more checkpoints re-send the same 50 ids
            assertThat(TestElasticsearch.count(client, index)).isEqualTo(ASSETS);
            assertThat(TestElasticsearch.stored(client, index, "f7").tempo()).isEqualTo(107.0);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void theFlushIntervalSendsWithoutCheckpoints() throws Exception {
        SearchIndex index = SearchIndex.withPrefix("sink" + System.nanoTime());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1); // no checkpointing: only the timer can send
        DataGeneratorSource<SearchAction> source = new DataGeneratorSource<>(
                (GeneratorFunction<Long, SearchAction>) ElasticsearchSinkTest::tempoOf, Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(200), TypeInformation.of(SearchAction.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "documents")
                .sinkTo(sinkFor(index).setBulkFlushMaxActions(10_000).setBulkFlushInterval(Duration.ofMillis(200)).build());
        JobClient job = env.executeAsync("search sink interval");
        try {
            awaitCount(index, ASSETS, Duration.ofSeconds(60));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void partialDocumentsFromParallelWritersMergeAndDeletesRemove() throws Exception {
        SearchIndex index = SearchIndex.withPrefix("sink" + System.nanoTime());
        List<SearchAction> actions = new ArrayList<>();
        for (int i = 0; i < ASSETS; i++) {
            actions.add(SearchAction.upsert(SearchBulkWriterTest.doc("m" + i, "acc", Map.of("bpm", "{\"tempo\":" + (80 + i) + "}"))));
        }
        SearchDocument.Asset[] later = new SearchDocument.Asset[ASSETS];
        for (int i = 0; i < ASSETS; i++) {
            later[i] = new SearchDocument.Asset("m" + i, "acc", null, null, null, null);
            actions.add(SearchAction.upsert(SearchDocument.of(later[i], Map.of("key",
                    SearchDocumentJson.MAPPER.readTree("{\"key\":\"" + (i % 2 == 0 ? "C" : "A") + "\",\"mode\":\"major\"}")))));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(300);
        env.setParallelism(2); // the two halves of one asset may reach different writers: optimistic merges
        env.fromData(TypeInformation.of(SearchAction.class), actions.toArray(SearchAction[]::new))
                .rebalance()
                .sinkTo(sinkFor(index).setBulkFlushMaxActions(7).build());
        env.execute("search sink merges");

        assertThat(TestElasticsearch.count(client, index)).isEqualTo(ASSETS);
        for (int i = 0; i < ASSETS; i++) {
            SearchDocument doc = TestElasticsearch.stored(client, index, "m" + i);
            assertThat(doc.tempo()).isEqualTo(80.0 + i);
            assertThat(doc.key()).isEqualTo(i % 2 == 0 ? "C" : "A");
            assertThat(doc.filename()).isEqualTo("m" + i + ".wav");
            assertThat(doc.features()).containsExactly(FeatureVector.of(doc.key(), "major", doc.tempo(), null, null, null));
        }

        StreamExecutionEnvironment deletes = StreamExecutionEnvironment.getExecutionEnvironment();
        deletes.setParallelism(1);
        deletes.fromData(TypeInformation.of(SearchAction.class),
                        SearchAction.delete("m0"), SearchAction.delete("m1"), SearchAction.delete("m2"), SearchAction.delete("absent"))
                .sinkTo(sinkFor(index).build());
        deletes.execute("search sink deletes");
        assertThat(TestElasticsearch.count(client, index)).isEqualTo(ASSETS - 3);
        assertThat(TestElasticsearch.stored(client, index, "m1")).isNull();
    }

    private static void awaitCount(SearchIndex index, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = -1;
        while (System.nanoTime() < deadline) {
            if (client.indices().exists(e -> e.index(index.alias())).value()) {
                count = TestElasticsearch.count(client, index);
                if (count >= expected) {
                    assertThat(count).isEqualTo(expected);
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + expected + " documents within " + timeout + ", found " + count);
    }
}
