package io.tonearm.pipeline.catalog;

import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Runs the catalog-scan job as the tests do: on the test class's MiniCluster, parallelism 2, a checkpoint every scan
 * interval, outcomes kept in {@link CollectingOutcomes}, registrations into {@code pg} and {@code blobs}.
 */
record CatalogScanRunner(PostgresConnection pg, Path blobs, Duration scan, String name) {

    /** Scans {@code dir} for {@code owner}, from {@code savepoint} (null: from nothing). */
    JobClient start(Path dir, UUID owner, String savepoint) throws Exception {
        return start(dir, owner, savepoint, b -> b);
    }

    /** As above, with the test's changes to the job's builder. */
    JobClient start(Path dir, UUID owner, String savepoint, UnaryOperator<CatalogScanJob.Builder> settings) throws Exception {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        if (savepoint != null) config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        CatalogScanJob.configure(env, scan);
        settings.apply(CatalogScanJob.builder()
                        .directory(dir.toUri().toString(), scan)
                        .postgres(pg, blobs.toString(), owner)
                        .outcomes(new CollectingOutcomes()))
                .build().addTo(env);
        return env.executeAsync(name);
    }
}
