package io.tonearm.sinks.postgres;

import io.tonearm.sinks.postgres.fingerprint.RecordingLandmarks;

/**
 * One write of the pipeline to PostgreSQL: a result row, a job transition or a recording's landmarks for the
 * fingerprint index, exactly one of them set. Both travel
 * on one stream into one sink ({@link PostgresWriteSink}) so that they reach the tables in the order the pipeline
 * emitted them: a job is never seen {@code succeeded} before its result rows are readable. A record of two Flink
 * POJOs, so it is serialized without Kryo.
 */
public record PostgresWrite(ResultRow result, JobTransition job, RecordingLandmarks landmarks) {

    public PostgresWrite {
        int set = (result == null ? 0 : 1) + (job == null ? 0 : 1) + (landmarks == null ? 0 : 1);
        if (set != 1) throw new IllegalArgumentException("exactly one of result, job and landmarks");
    }

    public static PostgresWrite of(ResultRow result) {
        return new PostgresWrite(result, null, null);
    }

    public static PostgresWrite of(JobTransition job) {
        return new PostgresWrite(null, job, null);
    }

    public static PostgresWrite of(RecordingLandmarks landmarks) {
        return new PostgresWrite(null, null, landmarks);
    }
}
