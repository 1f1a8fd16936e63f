package io.tonearm.pipeline.catalog;

import io.tonearm.events.EventCodec;
import io.tonearm.events.IngestOutcome;
import io.tonearm.pipeline.analysis.PipelineFixture;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs the ingest job as the tests do: on the test class's MiniCluster, a checkpoint every 300 ms, no restarts (a
 * command that throws would fail the job, and the test sees it), commands from {@code commands}, registrations into
 * the fixture's database and {@code blobs}; and reads the outcomes it committed.
 */
record IngestCommandRunner(PipelineFixture f, Path blobs, String commands) {

    static final Duration CHECKPOINT = Duration.ofMillis(300);

    /**
     * The job as consumer group {@code groupId} (a group without committed offsets reads from the start; a savepoint's
     * offsets come first), answering on {@code outcomes}, from {@code savepoint} (null: from nothing), with the test's
     * changes to the builder.
     */
    JobClient start(String groupId, String outcomes, int parallelism, String savepoint,
                    UnaryOperator<IngestCommandJob.Builder> settings) throws Exception {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        IngestCommandJob.configure(env, CHECKPOINT);
        settings.apply(IngestCommandJob.builder()
                        .kafka(f.kafka.bootstrapServers(), groupId, commands, outcomes)
                        .postgres(f.pg, blobs.toString()))
                .build().addTo(env);
        return env.executeAsync(groupId);
    }

    /** Every outcome committed on {@code topic} (read_committed), in offset order per partition. */
    List<IngestOutcome> outcomes(String topic) {
        List<IngestOutcome> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : f.committed(topic)) {
            if (!IngestOutcome.TYPE.equals(EventCodec.resultType(r.value()))) {
                throw new AssertionError("not an ingest outcome on " + topic + ": " + new String(r.value()));
            }
            out.add(EventCodec.decodeIngestOutcome(r.value()));
        }
        return out;
    }
}
