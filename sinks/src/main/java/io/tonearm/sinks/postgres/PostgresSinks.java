package io.tonearm.sinks.postgres;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The pipeline's PostgreSQL sinks (flink-connector-jdbc-core, Sink V2).
 *
 * <p>Delivery: at-least-once. The JDBC writer flushes its batch on every checkpoint, so a row reaches the
 * table no later than the checkpoint that covers it; after a failover the rows since the last checkpoint are
 * written again. That is harmless because every statement is an idempotent upsert keyed by the row's identity
 * ({@link ResultUpsert}, {@link JobTransitionUpsert}): a second write sets the same values, and job statuses
 * only move forward.
 */
public final class PostgresSinks {

    private PostgresSinks() {
    }

    public static Sink<ResultRow> results(PostgresConnection pg) {
        return JdbcSink.<ResultRow>builder()
                .withQueryStatement(ResultUpsert.SQL, ResultUpsert::bind)
                .withExecutionOptions(execution())
                .buildAtLeastOnce(connection(pg));
    }

    public static Sink<JobTransition> jobTransitions(PostgresConnection pg) {
        return JdbcSink.<JobTransition>builder()
                .withQueryStatement(JobTransitionUpsert.SQL, JobTransitionUpsert::bind)
                .withExecutionOptions(execution())
                .buildAtLeastOnce(connection(pg));
    }

    private static JdbcExecutionOptions execution() {
        return JdbcExecutionOptions.builder().withBatchSize(200).withBatchIntervalMs(200).withMaxRetries(3).build();
    }

    private static JdbcConnectionOptions connection(PostgresConnection pg) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(pg.jdbcUrl())
                .withDriverName("org.postgresql.Driver")
                .withUsername(pg.user())
                .withPassword(pg.password())
                .build();
    }
}
