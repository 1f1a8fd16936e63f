package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.sinks.postgres.ResultKey;

/**
 * One heavy analysis (stems, mastering, transcription) of one recording, handed by the coordinator to the
 * {@link HeavyRunner}, with the jobs that end once it has run. Plain fields (the jobs as JSON, {@link AwaitingJob}),
 * so Flink serializes it without Kryo, in flight and in the async operator's checkpointed queue.
 *
 * @param analyzer   with {@code version} and {@code paramsHash}: the result to compute
 * @param paramsJson the parameter values that make the result's identity (a reference is located by the runner)
 * @param jobsJson   the jobs waiting for this result ({@link AwaitingJob#listToJson})
 */
public record HeavyWork(String sha256, String blobLocation, String analyzer, int version, String paramsHash,
                        String paramsJson, String jobsJson) {

    /** {@code analyzer@version#paramsHash} */
    public String resultKey() {
        return ResultKey.of(analyzer, version, paramsHash);
    }

    /** The same analysis of the same recording: runs of equal keys are one run. */
    String runKey() {
        return sha256 + "/" + resultKey();
    }
}
