package io.tonearm.sinks.postgres;

/**
 * One write of the pipeline to PostgreSQL: a result row or a job transition, exactly one of them set. Both travel
 * on one stream into one sink ({@link PostgresWriteSink}) so that they reach the tables in the order the pipeline
 * emitted them: a job is never seen {@code succeeded} before its result rows are readable. A record of two Flink
 * POJOs, so it is serialized without Kryo.
 */
public record PostgresWrite(ResultRow result, JobTransition job) {

    public PostgresWrite {
        if ((result == null) == (job == null)) throw new IllegalArgumentException("exactly one of result and job");
    }

    public static PostgresWrite of(ResultRow result) {
        return new PostgresWrite(result, null);
    }

    public static PostgresWrite of(JobTransition job) {
        return new PostgresWrite(null, job);
    }
}
