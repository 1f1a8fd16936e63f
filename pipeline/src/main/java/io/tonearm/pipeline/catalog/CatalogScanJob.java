package io.tonearm.pipeline.catalog;

import io.tonearm.pipeline.JobArguments;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.pipeline.catalog.register.RegisterFiles;
import io.tonearm.pipeline.catalog.register.Registered;
import io.tonearm.pipeline.catalog.scan.DirectoryScanSource;
import io.tonearm.pipeline.catalog.scan.ScannedFile;
import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.credits.Tariff;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The catalog-scan job: watches a directory (any URI Flink's file systems read: {@code file:/…}, {@code s3://…})
 * for audio files and registers each as an asset of one account with a request for the standard set; the outbox
 * relay then carries both events to Kafka and the {@code AnalysisJob} analyzes the recording like any upload.
 *
 * <pre>
 *   DirectoryScanSource ── (uri, size, mtime) ──▶ RegisterFiles ──▶ outcomes (log; a sink of the caller's)
 *   lists every interval,                          bytes → blob store (SHA-256 on the way),
 *   emits new or changed files                     blob + asset + job rows and outbox events in ONE transaction
 *   once two listings agree
 * </pre>
 *
 * <p><b>Changed and unchanged files.</b> {@code FileSource.monitorContinuously} (flink-connector-files) remembers
 * the paths it processed and never emits one again, so a file rewritten in place would be missed. The
 * {@link DirectoryScanSource} uses that connector's recursive lister and split type but keeps path → (size, mtime)
 * in its checkpointed enumerator state (versioned serializer): an unchanged file is not emitted again, a file whose
 * size or modification time changed is, once the next listing finds both unchanged (a file still being copied in
 * waits: one scan interval of latency). Its new bytes have a new SHA-256, hence a new asset and a new analysis
 * request; if only the mtime changed, the bytes name the known asset and nothing new happens. No keyed state is
 * needed downstream: identity comes from the bytes, and the database enforces it.
 *
 * <p><b>Exactly-once.</b> Checkpoints in EXACTLY_ONCE mode cover the enumerator's map, the splits not yet emitted
 * and the readers' queues. Registration is a side effect replayed after a failover, but idempotent: the asset id is
 * derived from (account, sha256) and inserted with ON CONFLICT DO NOTHING, and the analysis request carries the
 * idempotency key {@code tonearm-registration:<sha256>}, so a replay creates no asset, job or event twice.
 *
 * <p><b>Plan and credits.</b> The assets live as long as the account's plan says (24 h basic, 7 days pro) unless
 * {@link Builder#retention} overrides it, and each analysis request is charged what the API charges for the same
 * analyzers (the standard set: 14 credits), in the registration's transaction under the job's id, so a replay
 * charges nothing twice. A file the balance does not cover is reported {@code refused} ({@code insufficient_credits}),
 * counted in the {@code registrationsRefusedForCredits} metric, and registered once the balance covers it (checked
 * every {@link Builder#creditRetry}); nothing of it is registered meanwhile.
 *
 * <p><b>Object stores.</b> {@code s3://BUCKET/PREFIX/} is listed through Flink's S3 file system (the
 * {@code flink-s3-fs-presto} plugin; {@code CatalogScanS3ITCase} scans S3Proxy with it), configured by the cluster's
 * {@code s3.endpoint}, {@code s3.path.style.access}, {@code s3.access-key}/{@code s3.secret-key} (without keys: the
 * AWS SDK's default chain, e.g. {@code AWS_ACCESS_KEY_ID}). What differs from a directory: "folders" are key
 * prefixes (listed, hidden ones skipped, as folders are); an object appears whole when its upload completes, so the
 * two-listing wait only costs latency; its mtime is the upload time, to the second, so a version is taken only by a
 * listing two seconds or more after it (an overwrite of the same size in the same second would otherwise look
 * unchanged; {@code ScanEnumerator}); every listing is one LIST request per prefix per interval (keep the interval
 * at seconds, not milliseconds, for a large bucket), and each registration reads the whole object once.
 *
 * <p><b>Not audio.</b> Only audio extensions are listed; a listed file whose first bytes are not an audio container
 * or stream is skipped with a reason (nothing stored), as {@code tonearm ingest} does. Files that are audio but
 * undecodable are registered and their analysis jobs fail with the decoder's reason.
 */
public final class CatalogScanJob {

    private static final String SCAN_UID = "catalog-scan";
    private static final String REGISTER_UID = "register-files";
    private static final String OUTCOMES_UID = "registration-outcomes";
    /**
     * The uids of the job's operators, under which savepoints keep its state (the known files, the files waiting for
     * credits): {@code tonearm up} names them when it resumes without the scan.
     */
    public static final List<String> UIDS = List.of(SCAN_UID, REGISTER_UID, OUTCOMES_UID);

    private final Source<ScannedFile, ?, ?> source;
    private final RegisterFiles register;
    private final Sink<Registered> outcomes;

    private CatalogScanJob(Builder b) {
        this.source = b.source;
        this.register = b.register;
        this.outcomes = b.outcomes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds the job's operators to {@code env} (checkpointing: {@link #configure}). */
    public void addTo(StreamExecutionEnvironment env) {
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "catalog-scan", TypeInformation.of(ScannedFile.class))
                .uid(SCAN_UID)
                .keyBy(ScannedFile::uri, Types.STRING) // a file waiting for credits is keyed state of its own
                .process(register, TypeInformation.of(Registered.class)).name(REGISTER_UID).uid(REGISTER_UID)
                .sinkTo(outcomes).name(OUTCOMES_UID).uid(OUTCOMES_UID);
    }

    public static void configure(StreamExecutionEnvironment env, Duration interval) {
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * Arguments: {@code directory-uri jdbc-url blob-store account-id [user] [password]}; the standard set, a scan
     * every 10 s, the account's plan and the default credit allowance. The blob store is a directory or {@code s3://BUCKET/PREFIX} (sinks' {@code BlobStores}); an empty
     * argument means {@code TONEARM_BLOB_STORE} from the environment.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: CatalogScanJob <directory-uri> <jdbc-url> <blob-store> <account-id> [user] [password]");
            System.exit(2);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, Duration.ofSeconds(10));
        builder().directory(args[0], Duration.ofSeconds(10))
                .postgres(new PostgresConnection(args[1], JobArguments.optional(args, 4), JobArguments.optional(args, 5)), JobArguments.blobStore(args, 2),
                        UUID.fromString(args[3]))
                .build().addTo(env);
        env.execute("tonearm-catalog-scan");
    }


    /** Validates everything in {@link #build()}. */
    public static final class Builder {
        private Source<ScannedFile, ?, ?> source;
        private PostgresConnection pg;
        private String blobStore;
        private UUID account;
        private List<String> analyzers = StandardAnalyzers.STANDARD_SET;
        private Duration retention;
        private long maxBytes = 4L << 30;
        private CreditPolicy credits = CreditPolicy.configured();
        private Duration creditRetry = Duration.ofMinutes(1);
        private RegisterFiles register;
        private Sink<Registered> outcomes = new DiscardingSink<>();

        public Builder source(Source<ScannedFile, ?, ?> source) {
            this.source = source;
            return this;
        }

        /** Scans {@code uri} (a directory on any Flink file system) every {@code interval}. */
        public Builder directory(String uri, Duration interval) {
            return source(new DirectoryScanSource(uri, interval));
        }

        /**
         * Where registrations go: the database, the blob store the API and the analysis job use (a directory or
         * {@code s3://BUCKET/PREFIX}), the owner.
         */
        public Builder postgres(PostgresConnection pg, String blobStore, UUID account) {
            this.pg = pg;
            this.blobStore = blobStore;
            this.account = account;
            return this;
        }

        /** Analyzers requested for each new recording (default: the standard set). */
        public Builder analyzers(List<String> analyzers) {
            this.analyzers = List.copyOf(analyzers);
            return this;
        }

        /**
         * How long the registered assets live, overriding the account's plan (default: none, the plan decides: 24 h
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

        /** How often a file refused for want of credits checks the balance again (default 1 minute). */
        public Builder creditRetry(Duration interval) {
            this.creditRetry = Objects.requireNonNull(interval, "creditRetry");
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** Each file's outcome (default: discarded; every outcome is also logged). */
        public Builder outcomes(Sink<Registered> sink) {
            this.outcomes = sink;
            return this;
        }

        public CatalogScanJob build() {
            sanityCheck();
            register = new RegisterFiles(pg, blobStore, account, analyzers, retention, maxBytes, credits, creditRetry);
            return new CatalogScanJob(this);
        }

        private void sanityCheck() {
            Objects.requireNonNull(source, "source (directory)");
            Objects.requireNonNull(pg, "postgres");
            BlobStores.validate(blobStore);
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(outcomes, "outcomes");
            if (analyzers.isEmpty()) throw new IllegalArgumentException("no analyzers to request");
            if (retention != null && (retention.isNegative() || retention.isZero())) throw new IllegalArgumentException("retention must be positive");
            if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive");
            if (creditRetry.toMillis() < 1) throw new IllegalArgumentException("creditRetry must be positive");
            Tariff.standard().cost(Tariff.registrationEndpoint(analyzers), null); // names an analyzer it cannot price
        }
    }
}
