package io.tonearm.launcher.up;

import io.tonearm.pipeline.analysis.AnalysisJob;
import io.tonearm.pipeline.analysis.RecordingAnalysis;
import io.tonearm.pipeline.catalog.CatalogScanJob;
import io.tonearm.pipeline.analysis.heavy.TimeBudgets;
import io.tonearm.pipeline.catalog.IngestCommandJob;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.elasticsearch.SearchIndex;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The analysis job ({@link AnalysisJob}: Kafka in; PostgreSQL, Elasticsearch and Kafka out), the Kafka ingestion
 * ({@link IngestCommandJob}: commands on {@code tonearm.ingest.v1}, outcomes on {@code tonearm.results.v1}), with
 * {@code --watch} also the catalog scan ({@link CatalogScanJob}) in the same job graph, on a Flink
 * MiniCluster inside this JVM, its state kept under
 * {@code <data-dir>/flink}: retained checkpoints in {@code checkpoints/}, a savepoint taken at every clean stop
 * in {@code savepoints/}. A start resumes from the newest of them, so the job's keyed state (which results
 * exist) and its Kafka offsets survive restarts; after a crash it resumes from the last retained checkpoint
 * (exactly-once sources, idempotent sinks). Before it does, {@link RestoreClaims} refuses a restore point whose state
 * the graph would leave unclaimed, unless this release may drop it (an upgrade that renamed a uid).
 */
final class AnalysisPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisPipeline.class);
    static final String GROUP_ID = "tonearm-analysis";
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
    static final Duration SCAN_INTERVAL = Duration.ofSeconds(5);

    private final JobClient job;
    private final Path savepoints;

    private AnalysisPipeline(JobClient job, Path savepoints) {
        this.job = job;
        this.savepoints = savepoints;
    }

    /** {@code up --watch}: the directory (URI) the catalog-scan job watches, the owning account, the blob store. */
    record CatalogScan(String dir, UUID account) {
    }

    /**
     * @param blobStore     the blob store the API uses too (a directory or s3:// location): recordings, job outputs,
     *                      scanned and Kafka-ingested recordings
     * @param elasticsearch the node's URL, or null to discard search documents
     * @param urlAllowList  the API's URL-import allow-list, for http(s) ingestion commands
     * @param credits       the API's monthly credit allowances: scanned and ingested recordings are charged too
     */
    static AnalysisPipeline start(Path flinkDir, String blobStore, String kafka, PostgresConnection pg, String elasticsearch,
                                  int parallelism, CatalogScan scan, List<String> urlAllowList, CreditPolicy credits)
            throws Exception {
        Path checkpoints = Files.createDirectories(flinkDir.resolve("checkpoints"));
        Path savepoints = Files.createDirectories(flinkDir.resolve("savepoints"));
        Path tmp = Files.createDirectories(flinkDir.resolve("tmp"));
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        config.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints.toUri().toString());
        config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        config.set(CoreOptions.TMP_DIRS, tmp.toString());
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_PORT, "0");
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        Optional<Path> restore = newestRestorePoint(checkpoints, savepoints);
        restore.ifPresent(p -> config.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toUri().toString()));
        // Flink drops either all unclaimed state or none; RestoreClaims has refused any but the state this release
        // may drop (a sink an earlier release removed, the scan's without --watch), so the rest can go.
        config.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config);
        addJobs(env, blobStore, kafka, pg, elasticsearch, parallelism, scan, urlAllowList, credits);
        if (restore.isPresent()) {
            RestoreClaims.check(restore.get(), flinkDir, env.getStreamGraph(false).getJobGraph(), RestoreClaims.droppable(scan != null));
        }
        JobClient job = env.executeAsync("tonearm-analysis");
        LOG.info("analysis job {} submitted{}", job.getJobID(), restore.map(p -> ", resuming from " + p).orElse(""));
        AnalysisPipeline pipeline = new AnalysisPipeline(job, savepoints);
        pipeline.awaitRunning(Duration.ofMinutes(2));
        restore.ifPresent(p -> pruneOlderThan(p, checkpoints, savepoints));
        return pipeline;
    }

    /** The analysis job, the Kafka ingestion and (with {@code scan}) the catalog scan, in one graph on {@code env}. */
    static void addJobs(StreamExecutionEnvironment env, String blobStore, String kafka, PostgresConnection pg, String elasticsearch,
                        int parallelism, CatalogScan scan, List<String> urlAllowList, CreditPolicy credits) {
        env.setParallelism(parallelism);
        AnalysisJob.configure(env, CHECKPOINT_INTERVAL);
        AnalysisJob.Builder builder = AnalysisJob.builder();
        if (elasticsearch != null) { // else search documents are discarded
            builder.elasticsearch(SearchIndex.defaults(), elasticsearch);
        }
        builder.kafkaAndPostgres(kafka, GROUP_ID, pg).settings(AnalysisJob.Settings.configured())
                .analysis(RecordingAnalysis.standard(TimeBudgets.configured(AnalysisJob.LIGHT_BUDGET), blobStore))
                .build().addTo(env);
        // Same job graph, so one checkpoint and one savepoint cover the command offsets too.
        IngestCommandJob.builder().kafka(kafka, GROUP_ID).postgres(pg, blobStore)
                .urlAllowList(urlAllowList).credits(credits).build().addTo(env);
        if (scan != null) {
            // Same job graph, so one checkpoint and one savepoint cover both (the scan's known files included).
            CatalogScanJob.builder().directory(scan.dir(), SCAN_INTERVAL).postgres(pg, blobStore, scan.account())
                    .credits(credits).build().addTo(env);
        }
    }

    boolean isRunning() {
        try {
            return job.getJobStatus().get(2, TimeUnit.SECONDS) == JobStatus.RUNNING;
        } catch (Exception e) {
            return false;
        }
    }

    private void awaitRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus status = null;
        while (System.nanoTime() < deadline) {
            status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isGloballyTerminalState()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the analysis job is " + status + ", not RUNNING, after " + timeout);
    }

    /** Stops with a savepoint (Kafka transactions committed, state kept); cancels if that fails. */
    @Override
    public void close() {
        try {
            String path = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(90, TimeUnit.SECONDS);
            LOG.info("analysis job stopped with savepoint {}", path);
        } catch (Exception e) {
            LOG.warn("stop-with-savepoint failed; cancelling (the last retained checkpoint will be used)", e);
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception cancel) {
                LOG.warn("cancelling the analysis job failed", cancel);
            }
        }
        try {
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        } catch (Exception expected) {
            // cancelled or stopped: the MiniCluster shuts down with the job
        }
    }

    /** The newest {@code _metadata} of a completed checkpoint or savepoint, as its directory. */
    static Optional<Path> newestRestorePoint(Path... roots) throws IOException {
        Path newest = null;
        FileTime newestTime = null;
        for (Path root : roots) {
            try (Stream<Path> files = Files.find(root, 3, (p, a) -> p.getFileName().toString().equals("_metadata") && a.isRegularFile())) {
                for (Path metadata : (Iterable<Path>) files::iterator) {
                    FileTime t = Files.getLastModifiedTime(metadata);
                    if (newestTime == null || t.compareTo(newestTime) > 0) {
                        newest = metadata.getParent();
                        newestTime = t;
                    }
                }
            }
        }
        return Optional.ofNullable(newest);
    }

    /** Deletes restore points older than the one just used (the new job writes its own). */
    private static void pruneOlderThan(Path used, Path checkpoints, Path savepoints) {
        try {
            FileTime usedTime = Files.getLastModifiedTime(used.resolve("_metadata"));
            for (Path root : List.of(checkpoints, savepoints)) {
                try (Stream<Path> children = Files.list(root)) {
                    for (Path child : (Iterable<Path>) children::iterator) {
                        if (!used.startsWith(child) && Files.getLastModifiedTime(child).compareTo(usedTime) < 0) {
                            deleteTree(child);
                        }
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not prune old checkpoints", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
