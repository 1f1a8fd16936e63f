package io.tonearm.launcher.up;

import io.tonearm.pipeline.analysis.AnalysisJob;
import io.tonearm.pipeline.analysis.RecordingAnalysis;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The analysis job as {@code tonearm up} runs it, on a local MiniCluster, minus Elasticsearch (search documents are discarded). */
public final class AnalysisJobForTests {
    private AnalysisJobForTests() {
    }

    /** Started and RUNNING (waits up to 2 minutes); cancel it with {@code job.cancel()}. */
    public static JobClient start(String kafka, String consumerGroup, PostgresConnection pg) throws Exception {
        return start(kafka, consumerGroup, pg, null);
    }

    /**
     * As above, reading recordings from and keeping heavy analyzers' outputs in the blob store at {@code blobStore}
     * (the API's: a directory or an s3:// location).
     */
    public static JobClient start(String kafka, String consumerGroup, PostgresConnection pg, String blobStore)
            throws Exception {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_PORT, "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config);
        env.setParallelism(1);
        AnalysisJob.configure(env, Duration.ofSeconds(2));
        AnalysisJob.builder().kafkaAndPostgres(kafka, consumerGroup, pg)
                .analysis(RecordingAnalysis.standard(io.tonearm.pipeline.analysis.heavy.TimeBudgets.of(Duration.ofMinutes(2)), blobStore))
                .build().addTo(env);
        JobClient job = env.executeAsync(consumerGroup);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (job.getJobStatus().get(10, TimeUnit.SECONDS) != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the analysis job did not start");
            }
            Thread.sleep(200);
        }
        return job;
    }
}
