package io.tonearm.pipeline.analysis;

import io.tonearm.pipeline.analysis.coordinator.BlobLookup;
import io.tonearm.pipeline.analysis.coordinator.RecordingCoordinator;
import io.tonearm.pipeline.analysis.output.Completion;
import io.tonearm.pipeline.analysis.output.KafkaCompletions;
import io.tonearm.pipeline.analysis.output.SearchUpdate;
import io.tonearm.pipeline.analysis.source.Inbound;
import io.tonearm.pipeline.analysis.source.KafkaInbound;
import io.tonearm.sinks.postgres.JobTransition;
import io.tonearm.sinks.postgres.PostgresConnection;
import io.tonearm.sinks.postgres.PostgresSinks;
import io.tonearm.sinks.postgres.ResultRow;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The analysis job: asset events and analysis requests, keyed by recording, through the
 * {@link RecordingCoordinator}, to PostgreSQL (results, job transitions), the search index and completion events.
 *
 * <pre>
 *   assets ─┐
 *           ├─ union ─ keyBy(sha256) ─ RecordingCoordinator ─┬─ result rows      → PostgreSQL analysis_results
 *  requests ┘                                                 ├─ job transitions  → PostgreSQL jobs
 *                                                             ├─ search updates   → Elasticsearch (or a given sink)
 *                                                             └─ completions      → Kafka tonearm.results.v1 (exactly-once)
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
    private final Sink<ResultRow> results;
    private final Sink<JobTransition> jobs;
    private final Sink<SearchUpdate> search;
    private final Sink<Completion> completions;
    private final RecordingAnalysis analysis;
    private final BlobLookup blobs;
    private final Settings settings;

    private AnalysisJob(Builder b) {
        this.sources = List.copyOf(b.sources);
        this.results = b.results;
        this.jobs = b.jobs;
        this.search = b.search;
        this.completions = b.completions;
        this.analysis = b.analysis;
        this.blobs = b.blobs;
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
        SingleOutputStreamOperator<ResultRow> coordinated = inbound
                .keyBy(Inbound::sha256, TypeInformation.of(String.class))
                .process(new RecordingCoordinator(analysis, blobs, settings.stateTtl(), settings.pendingRetry(),
                        settings.pendingDeadline()), TypeInformation.of(ResultRow.class))
                .name("recording-coordinator").uid("recording-coordinator");
        coordinated.sinkTo(results).name("results-postgres").uid("results-postgres");
        coordinated.getSideOutput(RecordingCoordinator.JOB_TRANSITIONS).sinkTo(jobs).name("jobs-postgres").uid("jobs-postgres");
        coordinated.getSideOutput(RecordingCoordinator.SEARCH_UPDATES).sinkTo(search).name("search").uid("search");
        coordinated.getSideOutput(RecordingCoordinator.COMPLETIONS).sinkTo(completions).name("completions-kafka").uid("completions-kafka");
    }

    /** Exactly-once checkpoints at {@code interval} (which bounds how soon results become visible). */
    public static void configure(StreamExecutionEnvironment env, Duration interval) {
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * Runs the job against Kafka and PostgreSQL. Arguments: {@code bootstrapServers jdbcUrl user password}
     * (the search sink is wired by the Elasticsearch module when present; here it discards).
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: AnalysisJob <kafka-bootstrap-servers> <jdbc-url> [user] [password]");
            System.exit(2);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, Duration.ofSeconds(5));
        PostgresConnection pg = new PostgresConnection(args[1], args.length > 2 ? args[2] : null, args.length > 3 ? args[3] : null);
        builder().kafkaAndPostgres(args[0], "tonearm-analysis", pg)
                .analysis(RecordingAnalysis.standard(Duration.ofMinutes(10)))
                .build().addTo(env);
        env.execute("tonearm-analysis");
    }

    /**
     * @param stateTtl        how long a recording's state lives after its last access (results stay in PostgreSQL)
     * @param pendingRetry    how often a request without a known blob looks again
     * @param pendingDeadline when it gives up and fails its job
     */
    public record Settings(Duration stateTtl, Duration pendingRetry, Duration pendingDeadline) implements java.io.Serializable {
        public static final Settings DEFAULT = new Settings(Duration.ofDays(180), Duration.ofSeconds(30), Duration.ofMinutes(30));
    }

    /** Validates everything in {@link #build()}. */
    public static final class Builder {
        private final List<Source<Inbound, ?, ?>> sources = new ArrayList<>();
        private Sink<ResultRow> results;
        private Sink<JobTransition> jobs;
        private Sink<SearchUpdate> search;
        private Sink<Completion> completions;
        private RecordingAnalysis analysis;
        private BlobLookup blobs = BlobLookup.none();
        private Settings settings = Settings.DEFAULT;

        public Builder source(Source<Inbound, ?, ?> source) {
            sources.add(Objects.requireNonNull(source));
            return this;
        }

        public Builder results(Sink<ResultRow> sink) {
            this.results = sink;
            return this;
        }

        public Builder jobs(Sink<JobTransition> sink) {
            this.jobs = sink;
            return this;
        }

        public Builder search(Sink<SearchUpdate> sink) {
            this.search = sink;
            return this;
        }

        public Builder completions(Sink<Completion> sink) {
            this.completions = sink;
            return this;
        }

        public Builder analysis(RecordingAnalysis analysis) {
            this.analysis = analysis;
            return this;
        }

        public Builder blobs(BlobLookup blobs) {
            this.blobs = blobs;
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
            results(PostgresSinks.results(pg));
            jobs(PostgresSinks.jobTransitions(pg));
            completions(KafkaCompletions.sink(bootstrapServers, groupId + "-completions"));
            blobs(BlobLookup.postgres(pg));
            if (search == null) search(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
            return this;
        }

        public AnalysisJob build() {
            sanityCheck();
            return new AnalysisJob(this);
        }

        private void sanityCheck() {
            if (sources.isEmpty()) throw new IllegalStateException("no sources");
            Objects.requireNonNull(results, "results sink");
            Objects.requireNonNull(jobs, "jobs sink");
            Objects.requireNonNull(search, "search sink");
            Objects.requireNonNull(completions, "completions sink");
            Objects.requireNonNull(analysis, "analysis");
            Objects.requireNonNull(blobs, "blobs");
            Objects.requireNonNull(settings, "settings");
            if (settings.pendingRetry().isNegative() || settings.pendingRetry().isZero()) {
                throw new IllegalArgumentException("pendingRetry must be positive");
            }
        }
    }
}
