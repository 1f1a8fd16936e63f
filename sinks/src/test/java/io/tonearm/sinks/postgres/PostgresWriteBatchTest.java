package io.tonearm.sinks.postgres;

import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pipeline's PostgreSQL writes against a real PostgreSQL: a batch of result rows and job transitions lands in
 * one transaction, so a job never reads {@code succeeded} without its results, and a batch that cannot be written
 * leaves nothing half-applied.
 */
class PostgresWriteBatchTest {

    static Database db;
    static PostgresConnection pg;

    @BeforeAll
    static void open() {
        PostgresServer server = LocalStack.shared().postgres();
        String url = server.createDatabase("w_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        db = Database.open(url, PostgresServer.SUPERUSER, null, 2);
        Database.migrate(db.dataSource());
        pg = new PostgresConnection(url, PostgresServer.SUPERUSER, null);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void resultsAndTheFinishedJobLandTogether() throws Exception {
        String sha = sha();
        UUID account = account();
        UUID job = UUID.randomUUID();
        try (PostgresWriteBatch batch = new PostgresWriteBatch(pg, 0)) {
            batch.apply(List.of(PostgresWrite.of(transition(job, account, sha, JobStatus.RUNNING)),
                    PostgresWrite.of(result(sha, "bpm", "{}")),
                    PostgresWrite.of(result(sha, "key", "{}")),
                    PostgresWrite.of(transition(job, account, sha, JobStatus.SUCCEEDED))));
        }
        assertThat(count("SELECT count(*) FROM analysis_results WHERE sha256 = '" + sha + "'")).isEqualTo(2);
        assertThat(text("SELECT status FROM jobs WHERE id = '" + job + "'")).isEqualTo("succeeded");
        assertThat(text("SELECT (started_at IS NOT NULL)::text FROM jobs WHERE id = '" + job + "'")).isEqualTo("true");
    }

    @Test
    void aBatchThatCannotBeWrittenLeavesNothingBehindAndSaysWhy() throws Exception {
        String sha = sha();
        UUID account = account();
        UUID job = UUID.randomUUID();
        try (PostgresWriteBatch batch = new PostgresWriteBatch(pg, 1)) {
            assertThatThrownBy(() -> batch.apply(List.of(PostgresWrite.of(result(sha, "bpm", "{}")),
                    PostgresWrite.of(result(sha, "key", "{not json")),
                    PostgresWrite.of(transition(job, account, sha, JobStatus.SUCCEEDED)))))
                    .isInstanceOf(IOException.class).hasMessageContaining("PostgreSQL");
            assertThat(count("SELECT count(*) FROM analysis_results WHERE sha256 = '" + sha + "'")).isZero();
            assertThat(count("SELECT count(*) FROM jobs WHERE id = '" + job + "'")).isZero();

            batch.apply(List.of(PostgresWrite.of(result(sha, "bpm", "{}")))); // the same instance recovers
        }
        assertThat(count("SELECT count(*) FROM analysis_results WHERE sha256 = '" + sha + "'")).isEqualTo(1);
    }

    private static ResultRow result(String sha, String analyzer, String params) {
        return new ResultRow(sha, analyzer, 1, "00", params, "{\"model_name\": \"" + analyzer + "\"}", ResultStatus.SUCCEEDED,
                null, Instant.now());
    }

    private static JobTransition transition(UUID job, UUID account, String sha, JobStatus status) {
        return new JobTransition(job.toString(), account.toString(), null, sha, status, null, null,
                status.terminal() ? "{\"sha256\": \"" + sha + "\"}" : null, Instant.now());
    }

    private static String sha() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    private static UUID account() throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, name, plan) VALUES (?, ?, 'basic')")) {
            ps.setObject(1, id);
            ps.setString(2, "w-" + id);
            ps.executeUpdate();
        }
        return id;
    }

    private static long count(String sql) throws Exception {
        return Long.parseLong(text(sql));
    }

    private static String text(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
