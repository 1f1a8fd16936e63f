package io.tonearm.pipeline.analysis;

import io.tonearm.pipeline.JobArguments;
import io.tonearm.pipeline.analysis.coordinator.CatalogLookup;
import io.tonearm.pipeline.analysis.coordinator.GatherWindow;
import io.tonearm.pipeline.analysis.coordinator.HeavyCompletion;
import io.tonearm.pipeline.analysis.coordinator.HeavyOutcome;
import io.tonearm.pipeline.analysis.coordinator.HeavyRunner;
import io.tonearm.pipeline.analysis.coordinator.HeavyWork;
import io.tonearm.pipeline.analysis.coordinator.RecordingCoordinator;
import io.tonearm.pipeline.analysis.heavy.TimeBudgets;
import io.tonearm.pipeline.analysis.output.Completion;
import io.tonearm.pipeline.analysis.output.KafkaCompletions;
import io.tonearm.pipeline.analysis.output.SearchUpdate;
import io.tonearm.pipeline.analysis.output.SearchUpdateSink;
import io.tonearm.sinks.elasticsearch.ElasticsearchSink;
import io.tonearm.sinks.elasticsearch.SearchIndex;
import io.tonearm.pipeline.analysis.source.Inbound;
import io.tonearm.pipeline.analysis.source.KafkaInbound;
import io.tonearm.sinks.postgres.PostgresConnection;
import io.tonearm.sinks.postgres.PostgresWrite;
import io.tonearm.sinks.postgres.PostgresWriteSink;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The analysis job: asset events and analysis requests, keyed by recording, through the
 * {@link RecordingCoordinator}, to PostgreSQL (results, job transitions), the search index and completion events.
 * Heavy analyses (stems, mastering, transcription) leave the coordinator as {@link HeavyWork}, run on Flink's Async
 * I/O operator ({@link HeavyRunner}) and come back as outcomes to {@link HeavyCompletion}, which ends the jobs that
 * waited for them.
 *
 * <pre>
 *   assets ─┐                                                 ┌─ result rows, job transitions ─────────────┐
 *           ├─ union ─ keyBy(sha256) ─ RecordingCoordinator ─┼─ search updates → Elasticsearch             ├→ PostgreSQL (one
 *  requests ┘                                                 ├─ completions ──────────────────────────┐    │  ordered sink)
 *                                                             └─ heavy work ─ async HeavyRunner ─ keyBy ─ HeavyCompletion ─┘
 *                                                                                                 (rows, transitions, completions)
 *                                                             completions of both → Kafka tonearm.results.v1 (exactly-once)
 * </pre>
 *
 * <p>Sources and sinks are given to the builder (flink-training style), so tests wire their own; {@link #main}
 * and {@link Builder#kafkaAndPostgres} wire the real ones. Exactly-once: checkpoints in EXACTLY_ONCE mode over
 * the Kafka sources; the coordinator's state (which results exist) rolls back with the source offsets, so a
 * restart re-analyzes only recordings whose results were not yet checkpointed; PostgreSQL writes are idempotent
 * upserts (at-least-once sink), completions go through Kafka transactions.
 */
public final class AnalysisJob {

    private final List<Source<Inbound, ?, ?>> sources;
    private final Sink<PostgresWrite> postgres;
    private final Sink<SearchUpdate> search;
    private final Sink<Completion> completions;
    private final RecordingAnalysis analysis;
    private final CatalogLookup catalog;
    private final Settings settings;

    private AnalysisJob(Builder b) {
        this.sources = List.copyOf(b.sources);
        this.postgres = b.postgres;
        this.search = b.search;
        this.completions = b.completions;
        this.analysis = b.analysis;
        this.catalog = b.catalog;
        this.settings = b.settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds the job's operators to {@code env} (checkpointing is the caller's: {@link #configure}). */
    public void addTo(StreamExecutionEnvironment env) {
        DataStream<Inbound> inbound = null;
        int i = 0;
        for (Source<Inbound, ?, ?> source : sources) {
            DataStream<Inbound> s = env.fromSource(source, WatermarkStrategy.noWatermarks(), "inbound-" + i, TypeInformation.of(Inbound.class))
                    .uid("inbound-" + i);
            inbound = inbound == null ? s : inbound.union(s);
            i++;
        }
        SingleOutputStreamOperator<PostgresWrite> coordinated = inbound
                .keyBy(Inbound::sha256, TypeInformation.of(String.class))
                .process(new RecordingCoordinator(analysis, catalog, settings.stateTtl(), settings.pendingRetry(),
                        settings.pendingDeadline(), settings.gatherWindow()), TypeInformation.of(PostgresWrite.class))
                .name("recording-coordinator").uid("recording-coordinator");
        // Capacity = the pool's threads: every work in the operator is running, so the timeout is a run's, not a
        // queue's. Not chained to the coordinator: when every thread is busy, further works wait in the network
        // buffers between them instead of blocking the coordinator's thread.
        SingleOutputStreamOperator<HeavyOutcome> heavyOutcomes = AsyncDataStream.unorderedWait(
                        coordinated.getSideOutput(RecordingCoordinator.HEAVY_WORK),
                        new HeavyRunner(analysis, catalog, settings.heavyConcurrency()),
                        HeavyRunner.timeout(analysis).toMillis(), TimeUnit.MILLISECONDS, settings.heavyConcurrency())
                .name("heavy-analyses").uid("heavy-analyses").disableChaining();
        SingleOutputStreamOperator<PostgresWrite> heavyEnded = heavyOutcomes
                .keyBy(o -> o.work().sha256(), TypeInformation.of(String.class))
                .process(new HeavyCompletion(settings.stateTtl()), TypeInformation.of(PostgresWrite.class))
                .name("heavy-completion").uid("heavy-completion");
        // The sink in its own thread: a flush (result upserts, the packed landmark row, the near-duplicate lookup)
        // overlaps the next analysis instead of stalling it; the coordinator's rows still arrive in its order over one
        // channel.
        coordinated.union(heavyEnded).sinkTo(postgres).name("postgres").uid("postgres").disableChaining();
        coordinated.getSideOutput(RecordingCoordinator.SEARCH_UPDATES).sinkTo(search).name("search").uid("search");
        coordinated.getSideOutput(RecordingCoordinator.COMPLETIONS)
                .union(heavyEnded.getSideOutput(RecordingCoordinator.COMPLETIONS))
                .sinkTo(completions).name("completions-kafka").uid("completions-kafka");
    }

    /**
     * Exactly-once checkpoints at {@code interval} (which bounds how soon results become visible), unaligned:
     * an analysis takes seconds, so an aligned barrier would wait behind every request already buffered in front
     * of the coordinator and checkpoints would stall under a backlog; a failover would then re-analyze all of it.
     * Unaligned barriers overtake the buffered records (which are stored in the checkpoint instead) and wait only
     * for the light analysis in progress on the coordinator ({@link #LIGHT_BUDGET} at most); heavy analyses run
     * asynchronously and are checkpointed as works in flight, so they never hold a barrier.
     */
    public static void configure(StreamExecutionEnvironment env, Duration interval) {
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig().enableUnalignedCheckpoints();
        env.getCheckpointConfig().setCheckpointTimeout(CHECKPOINT_TIMEOUT.toMillis());
    }

    /**
     * The decode budget of one recording's light analyses, which run on the coordinator's thread: the longest a
     * checkpoint barrier can wait. A 60-minute file's standard set takes about half a minute on one core.
     */
    public static final Duration LIGHT_BUDGET = Duration.ofMinutes(5);

    /**
     * Flink's default: a barrier waits for one light analysis at most ({@link #LIGHT_BUDGET}), and an epoch's Kafka
     * transaction (10 minutes, {@code KafkaCompletions}) must outlive its checkpoint.
     */
    public static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Runs the job against Kafka, PostgreSQL and Elasticsearch. Arguments:
     * {@code kafka-bootstrap-servers jdbc-url user password elasticsearch-url blob-store}. User and password may be
     * empty; without an Elasticsearch URL search updates are discarded. The blob store is the one the API stores
     * uploads in, a directory or {@code s3://BUCKET/PREFIX} (sinks' {@code BlobStores}); empty or absent, it is
     * {@code TONEARM_BLOB_STORE} from the environment; without either only {@code file:} locations are readable and
     * heavy analyzers cannot keep their output files and fail. Heavy analyzers' time budgets:
     * {@link TimeBudgets#configured}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: AnalysisJob <kafka-bootstrap-servers> <jdbc-url> [user] [password] [elasticsearch-url] [blob-store]");
            System.exit(2);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, Duration.ofSeconds(5));
        PostgresConnection pg = new PostgresConnection(args[1], JobArguments.optional(args, 2), JobArguments.optional(args, 3));
        Builder b = builder();
        if (JobArguments.optional(args, 4) != null) b.elasticsearch(SearchIndex.defaults(), JobArguments.optional(args, 4));
        b.kafkaAndPostgres(args[0], "tonearm-analysis", pg).settings(Settings.configured())
                .analysis(RecordingAnalysis.standard(TimeBudgets.configured(LIGHT_BUDGET), JobArguments.blobStore(args, 5)))
                .build().addTo(env);
        env.execute("tonearm-analysis");
    }


    /**
     * @param stateTtl        how long a recording's state lives after its last access (results stay in PostgreSQL)
     * @param pendingRetry    how often a request without a known blob looks again
     * @param pendingDeadline when it gives up and fails its job
     * @param gatherWindow    how long a request that needs analysis waits for the recording's other requests so they
     *                        share one decode; covers a client's fan-out (bpm, key, lufs sent at once) through the
     *                        API's outbox relay, which publishes each commit at once (notified by PostgreSQL; its
     *                        200 ms poll is only the fallback): by default until 250 ms pass without another request
     *                        (more than that fallback's gap), at most 500 ms after the first
     * @param heavyConcurrency heavy analyses that run at once beside each coordinator subtask (threads of its pool)
     */
    public record Settings(Duration stateTtl, Duration pendingRetry, Duration pendingDeadline, GatherWindow gatherWindow,
                           int heavyConcurrency) implements java.io.Serializable {
        public static final Settings DEFAULT = new Settings(Duration.ofDays(180), Duration.ofSeconds(30), Duration.ofMinutes(30),
                new GatherWindow(Duration.ofMillis(250), Duration.ofMillis(500)), 1);

        public Settings {
            Objects.requireNonNull(gatherWindow, "gatherWindow");
            if (heavyConcurrency < 1) throw new IllegalArgumentException("heavyConcurrency must be at least 1");
        }

        /** One heavy analysis at a time per subtask; requests always wait {@code gatherWindow} for each other. */
        public Settings(Duration stateTtl, Duration pendingRetry, Duration pendingDeadline, Duration gatherWindow) {
            this(stateTtl, pendingRetry, pendingDeadline, GatherWindow.fixed(gatherWindow), 1);
        }

        public Settings withHeavyConcurrency(int heavyConcurrency) {
            return new Settings(stateTtl, pendingRetry, pendingDeadline, gatherWindow, heavyConcurrency);
        }

        /**
         * The defaults, with the heavy concurrency from {@code TONEARM_HEAVY_CONCURRENCY} (or the system property
         * {@code tonearm.heavy-concurrency}) when set: how many heavy analyses each slot runs at once. Each is a
         * decode and, for separation and transcription, a network, so more than one per core only queues them.
         */
        public static Settings configured() {
            String v = System.getProperty("tonearm.heavy-concurrency", System.getenv("TONEARM_HEAVY_CONCURRENCY"));
            if (v == null || v.isBlank()) return DEFAULT;
            try {
                return DEFAULT.withHeavyConcurrency(Integer.parseInt(v.strip()));
            } catch (IllegalArgumentException e) { // NumberFormatException included
                throw new IllegalArgumentException("TONEARM_HEAVY_CONCURRENCY must be a whole number of at least 1: " + v);
            }
        }
    }

    /** Validates everything in {@link #build()}. */
    public static final class Builder {
        private final List<Source<Inbound, ?, ?>> sources = new ArrayList<>();
        private Sink<PostgresWrite> postgres;
        private Sink<SearchUpdate> search;
        private Sink<Completion> completions;
        private RecordingAnalysis analysis;
        private CatalogLookup catalog = CatalogLookup.none();
        private Settings settings = Settings.DEFAULT;

        public Builder source(Source<Inbound, ?, ?> source) {
            sources.add(Objects.requireNonNull(source));
            return this;
        }

        /** Result rows and job transitions, to be applied in the order given ({@link PostgresWriteSink}). */
        public Builder postgres(Sink<PostgresWrite> sink) {
            this.postgres = sink;
            return this;
        }

        public Builder search(Sink<SearchUpdate> sink) {
            this.search = sink;
            return this;
        }

        /** Search updates to Elasticsearch ({@link ElasticsearchSink}: bulk, retry with backoff, idempotent merges). */
        public Builder elasticsearch(SearchIndex index, String... hosts) {
            return search(new SearchUpdateSink(ElasticsearchSink.builder().setHosts(hosts).setIndex(index).build()));
        }

        public Builder completions(Sink<Completion> sink) {
            this.completions = sink;
            return this;
        }

        public Builder analysis(RecordingAnalysis analysis) {
            this.analysis = analysis;
            return this;
        }

        public Builder catalog(CatalogLookup catalog) {
            this.catalog = catalog;
            return this;
        }

        public Builder settings(Settings settings) {
            this.settings = settings;
            return this;
        }

        /**
         * The production wiring: both topics from Kafka ({@code groupId} for committed offsets), results, jobs and
         * blob lookups in PostgreSQL, completions to Kafka with transactional ids prefixed by {@code groupId}.
         * The search sink defaults to discarding until the Elasticsearch sink is wired.
         */
        public Builder kafkaAndPostgres(String bootstrapServers, String groupId, PostgresConnection pg) {
            source(KafkaInbound.assets(bootstrapServers, groupId));
            source(KafkaInbound.requests(bootstrapServers, groupId));
            postgres(PostgresWriteSink.builder(pg).build());
            completions(KafkaCompletions.sink(bootstrapServers, groupId + "-completions"));
            catalog(CatalogLookup.postgres(pg));
            if (search == null) search(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
            return this;
        }

        public AnalysisJob build() {
            sanityCheck();
            return new AnalysisJob(this);
        }

        private void sanityCheck() {
            if (sources.isEmpty()) throw new IllegalStateException("no sources");
            Objects.requireNonNull(postgres, "postgres sink");
            Objects.requireNonNull(search, "search sink");
            Objects.requireNonNull(completions, "completions sink");
            Objects.requireNonNull(analysis, "analysis");
            Objects.requireNonNull(catalog, "catalog");
            Objects.requireNonNull(settings, "settings");
            if (settings.pendingRetry().isNegative() || settings.pendingRetry().isZero()) {
                throw new IllegalArgumentException("pendingRetry must be positive");
            }
        }
    }
}
