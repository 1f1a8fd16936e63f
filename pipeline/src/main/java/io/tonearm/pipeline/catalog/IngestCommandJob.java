package io.tonearm.pipeline.catalog;

import io.tonearm.pipeline.JobArguments;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.events.Topics;
import io.tonearm.pipeline.catalog.ingest.CommandRecord;
import io.tonearm.pipeline.catalog.ingest.ExecuteCommands;
import io.tonearm.pipeline.catalog.ingest.KafkaIngest;
import io.tonearm.pipeline.catalog.ingest.OutcomeRecord;
import io.tonearm.sinks.fetch.AllowList;
import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.credits.Tariff;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Streaming ingestion: a label's own systems publish {@code IngestCommand}s to {@link Topics#INGEST} instead of
 * calling the REST API; each is read (file URI or SSRF-safe URL fetch), registered as an asset with a request for
 * the standard set, and answered by an {@code IngestOutcome} on {@link Topics#RESULTS}. Wire formats:
 * {@code docs/ingest-topic.md}.
 *
 * <pre>
 *   KafkaSource(tonearm.ingest.v1) ──raw record──▶ ExecuteCommands ──outcome──▶ KafkaSink(tonearm.results.v1)
 *   offsets in checkpoints              parse · account · key already used?      EXACTLY_ONCE (transactions
 *                                       · read + hash · register (one TX)        committed with checkpoints)
 * </pre>
 *
 * <p><b>Delivery.</b> Checkpoints in EXACTLY_ONCE mode cover the source offsets; outcomes are written in Kafka
 * transactions committed with the checkpoint, so a {@code read_committed} consumer sees one outcome per command.
 * Registration is a side effect replayed after a failover but idempotent (asset id from account and bytes, request
 * keyed {@code tonearm-ingest:<idempotency_key>}). The registration path is the catalog scan's
 * ({@code Registrations} → {@code AssetRegistrar}), so both inputs make the same rows and events as an upload.
 *
 * <p><b>Plan and credits.</b> An asset lives as long as its account's plan says (24 h basic, 7 days pro) unless
 * {@link Builder#retention} overrides it; each command's analysis request is charged what the API charges for the
 * same analyzers (the standard set: 14 credits) in the registration's transaction, under the job's id, so a replay
 * charges nothing twice. A command the balance does not cover is {@code failed} with the code
 * {@code insufficient_credits} (checked before any byte is read); nothing is registered, and the same key may be sent
 * again once credits exist.
 *
 * <p><b>Bad commands.</b> Malformed JSON, a missing or unknown account, both or neither of uri and url, a refused
 * URL, an unreadable file or bytes that are not audio become a {@code malformed} or {@code failed} outcome with the
 * reason; the job keeps running.
 */
public final class IngestCommandJob {

    private final Source<CommandRecord, ?, ?> source;
    private final ExecuteCommands execute;
    private final Sink<OutcomeRecord> outcomes;

    private IngestCommandJob(Builder b) {
        this.source = b.source;
        this.execute = b.execute;
        this.outcomes = b.outcomes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds the job's operators to {@code env} (checkpointing: {@link #configure}). */
    public void addTo(StreamExecutionEnvironment env) {
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "ingest-commands", TypeInformation.of(CommandRecord.class))
                .uid("ingest-commands")
                .map(execute, TypeInformation.of(OutcomeRecord.class)).name("execute-ingest-commands").uid("execute-ingest-commands")
                .sinkTo(outcomes).name("ingest-outcomes").uid("ingest-outcomes");
    }

    public static void configure(StreamExecutionEnvironment env, Duration interval) {
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * Arguments: {@code bootstrap-servers jdbc-url blob-store [user] [password]}; the standard set, 5 s checkpoints. The
     * blob store is a directory or {@code s3://BUCKET/PREFIX} (sinks' {@code BlobStores}); an empty argument means
     * {@code TONEARM_BLOB_STORE} from the environment.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: IngestCommandJob <bootstrap-servers> <jdbc-url> <blob-store> [user] [password]");
            System.exit(2);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, Duration.ofSeconds(5));
        builder().kafka(args[0], "tonearm-ingest")
                .postgres(new PostgresConnection(args[1], JobArguments.optional(args, 3), JobArguments.optional(args, 4)),
                        JobArguments.blobStore(args, 2))
                .build().addTo(env);
        env.execute("tonearm-ingest");
    }


    /** Validates everything in {@link #build()}. */
    public static final class Builder {
        private Source<CommandRecord, ?, ?> source;
        private Sink<OutcomeRecord> outcomes;
        private PostgresConnection pg;
        private String blobStore;
        private List<String> analyzers = StandardAnalyzers.STANDARD_SET;
        private Duration retention;
        private long maxBytes = 4L << 30;
        private CreditPolicy credits = CreditPolicy.configured();
        private List<String> urlAllowList = List.of();
        private ExecuteCommands execute;

        /** {@link Topics#INGEST} in, {@link Topics#RESULTS} out, transactional ids prefixed with the group id. */
        public Builder kafka(String bootstrapServers, String groupId) {
            return kafka(bootstrapServers, groupId, Topics.INGEST, Topics.RESULTS);
        }

        /** Other topic names (tests). */
        public Builder kafka(String bootstrapServers, String groupId, String commandsTopic, String resultsTopic) {
            this.source = KafkaIngest.commands(bootstrapServers, groupId, commandsTopic);
            this.outcomes = KafkaIngest.outcomes(bootstrapServers, resultsTopic, groupId + "-ingest-outcomes");
            return this;
        }

        public Builder source(Source<CommandRecord, ?, ?> source) {
            this.source = source;
            return this;
        }

        public Builder outcomes(Sink<OutcomeRecord> outcomes) {
            this.outcomes = outcomes;
            return this;
        }

        /**
         * Where registrations go: the database and the blob store the API and the analysis job use (a directory or
         * {@code s3://BUCKET/PREFIX}).
         */
        public Builder postgres(PostgresConnection pg, String blobStore) {
            this.pg = pg;
            this.blobStore = blobStore;
            return this;
        }

        /** Analyzers requested for each command (default: the standard set). */
        public Builder analyzers(List<String> analyzers) {
            this.analyzers = List.copyOf(analyzers);
            return this;
        }

        /**
         * How long the registered assets live, overriding each account's plan (default: none, the plan decides: 24 h
         * basic, 7 days pro; results are kept regardless).
         */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * The monthly allowance per plan, granted by whichever of the API and the jobs charges an account first in a
         * month: give the jobs the API's (default {@link CreditPolicy#configured()}, as the API's main reads it).
         */
        public Builder credits(CreditPolicy policy) {
            this.credits = Objects.requireNonNull(policy, "credits");
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** Operator exceptions to the public-hosts rule for URLs ({@link AllowList} entries; default none). */
        public Builder urlAllowList(List<String> entries) {
            this.urlAllowList = List.copyOf(entries);
            return this;
        }

        public IngestCommandJob build() {
            sanityCheck();
            execute = new ExecuteCommands(pg, blobStore, analyzers, retention, maxBytes, urlAllowList, credits);
            return new IngestCommandJob(this);
        }

        private void sanityCheck() {
            Objects.requireNonNull(source, "source (kafka)");
            Objects.requireNonNull(outcomes, "outcomes (kafka)");
            Objects.requireNonNull(pg, "postgres");
            BlobStores.validate(blobStore);
            if (analyzers.isEmpty()) throw new IllegalArgumentException("no analyzers to request");
            if (retention != null && (retention.isNegative() || retention.isZero())) throw new IllegalArgumentException("retention must be positive");
            if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive");
            Tariff.standard().cost(Tariff.registrationEndpoint(analyzers), null); // names an analyzer it cannot price
            AllowList.of(urlAllowList); // throws naming a bad entry now, not in the task
        }
    }
}
