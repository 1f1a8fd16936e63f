package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.pipeline.analysis.output.JobEnding;
import io.tonearm.sinks.postgres.PostgresWrite;
import io.tonearm.sinks.postgres.ResultStatus;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.Objects;

/**
 * Ends the jobs that waited for heavy analyses, keyed by recording like the coordinator: each {@link HeavyOutcome}
 * writes its result row, then every job it completes gets its light rows again ({@link AwaitingJob#rows}), its
 * terminal transition and its completion event, in that order on one stream into the ordered PostgreSQL sink, so a
 * job is never read as finished before its results. A
 * job that asked for several heavy results waits here (keyed state: request id → {@link AwaitingJob}) until the last
 * one is back, and then ends once, whatever the order they came in.
 *
 * <p>Why here and not in the coordinator: a Flink job graph has no cycles, so the outcomes of the async operator
 * downstream of the coordinator cannot go back into it. The coordinator hands each waiting job over with the
 * outcomes of its light analyses (already run on the coordinator's decode) and does not answer it again; later
 * requests find the heavy results in PostgreSQL ({@code CatalogLookup.storedResults}) and adopt them.
 */
public final class HeavyCompletion extends KeyedProcessFunction<String, HeavyOutcome, PostgresWrite> {

    private final Duration stateTtl;
    private transient MapState<String, String> waiting;

    /** @param stateTtl a bound on how long a job can wait here (it waits only while its analyses run) */
    public HeavyCompletion(Duration stateTtl) {
        this.stateTtl = Objects.requireNonNull(stateTtl, "stateTtl");
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, String> descriptor = new MapStateDescriptor<>("awaiting-jobs", Types.STRING, Types.STRING);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl).build());
        waiting = getRuntimeContext().getMapState(descriptor);
    }

    @Override
    public void processElement(HeavyOutcome o, Context ctx, Collector<PostgresWrite> out) throws Exception {
        if (o.row() != null) out.collect(PostgresWrite.of(o.row()));
        String status = o.row() != null && o.row().status() == ResultStatus.SUCCEEDED ? "succeeded" : "failed";
        String error = o.row() != null ? o.row().error() : o.failure();
        for (AwaitingJob carried : AwaitingJob.listFromJson(o.work().jobsJson())) {
            String id = carried.requestId();
            String known = waiting.get(id);
            AwaitingJob job = (known == null ? carried : AwaitingJob.fromJson(known))
                    .with(o.work().resultKey(), status, error, o.failure());
            if (job.waiting()) {
                waiting.put(id, job.toJson());
                continue;
            }
            waiting.remove(id);
            job.rows().forEach(row -> out.collect(PostgresWrite.of(row)));
            JobEnding end = JobEnding.of(job.decodedRequest(), job.results(), job.failure());
            out.collect(PostgresWrite.of(end.job()));
            ctx.output(RecordingCoordinator.COMPLETIONS, end.completion());
        }
    }
}
