package io.tonearm.pipeline.analysis.output;

import io.tonearm.events.AnalysisCompleted;
import io.tonearm.events.AnalysisCompleted.ResultRef;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.EventCodec;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.JobTransition;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A request's job transitions and the end of it: the terminal transition and the completion event, made the same
 * way whether the coordinator ends the job or, after its heavy analyses, {@code HeavyCompletion} does.
 *
 * @param job        the terminal transition
 * @param completion the event for {@code tonearm.results.v1}
 */
public record JobEnding(JobTransition job, Completion completion) {

    /**
     * Succeeded when there is no {@code failure}, every required result in {@code results} (by the name the client
     * used) succeeded and at least one did ({@link AnalysisRequested#succeedsDespite}); an optional analyzer's failure
     * is then only in its result reference. Else failed, with {@code failure} or the failed analyzers as the error.
     */
    public static JobEnding of(AnalysisRequested r, Map<String, ResultRef> results, String failure) {
        List<String> failedAnalyzers = new ArrayList<>();
        List<String> failedNames = new ArrayList<>();
        results.forEach((name, ref) -> {
            if (!"succeeded".equals(ref.status())) {
                failedAnalyzers.add(ref.analyzer() + ": " + ref.error());
                failedNames.add(name);
            }
        });
        String error = failure != null ? failure
                : r.succeedsDespite(failedNames) ? null : "analyzers failed: " + String.join("; ", failedAnalyzers);
        JobStatus status = error == null ? JobStatus.SUCCEEDED : JobStatus.FAILED;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sha256", r.sha256());
        result.put("results", results);
        Instant at = Instant.now();
        return new JobEnding(transition(r, status, error, EventCodec.encodeToString(result)),
                Completion.of(new AnalysisCompleted(AnalysisCompleted.CURRENT_VERSION,
                        UUID.nameUUIDFromBytes(("completed:" + r.requestId()).getBytes(StandardCharsets.UTF_8)),
                        r.requestId(), r.accountId(), r.assetId(), r.sha256(), status.sql(), error, results, at)));
    }

    public static JobTransition transition(AnalysisRequested r, JobStatus status, String error, String resultJson) {
        return new JobTransition(r.requestId().toString(), str(r.accountId()), str(r.assetId()), r.sha256(), status,
                error, EventCodec.encodeToString(r.analyzers()), resultJson, Instant.now());
    }

    public boolean failed() {
        return job.status() != JobStatus.SUCCEEDED;
    }

    private static String str(UUID id) {
        return id == null ? null : id.toString();
    }
}
