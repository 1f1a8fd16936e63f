package io.tonearm.sinks.postgres;

import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements the pipeline's PostgreSQL sinks execute, and the read side, against a real PostgreSQL with the
 * migrations applied: upserts are idempotent, a stored success survives a later failure, job statuses only move
 * forward and stay with their account.
 */
class PostgresWritesTest {

    private static final String SHA = "a".repeat(64);
    static Database db;

    @BeforeAll
    static void open() {
        PostgresServer pg = LocalStack.shared().postgres();
        String url = pg.createDatabase("s_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        db = Database.open(url, PostgresServer.SUPERUSER, null, 4);
        Database.migrate(db.dataSource()); // applying again is a no-op
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void resultUpsertsAreIdempotentAndASuccessIsNeverReplacedByAFailure() throws Exception {
        ResultRow ok = new ResultRow(SHA, "bpm", 1, "00ff", "{\"min_bpm\": 60}", "{\"model_name\": \"bpm\", \"results\": {\"tempo\": 120}}",
                ResultStatus.SUCCEEDED, null, Instant.parse("2026-01-01T00:00:00Z"));
        write(ResultUpsert.SQL, ps -> ResultUpsert.bind(ps, ok));
        write(ResultUpsert.SQL, ps -> ResultUpsert.bind(ps, ok));
        ResultRow failed = new ResultRow(SHA, "bpm", 1, "00ff", "{}", null, ResultStatus.FAILED, "timeout", Instant.now());
        write(ResultUpsert.SQL, ps -> ResultUpsert.bind(ps, failed));

        ResultRepository results = new ResultRepository(db.dataSource());
        assertThat(results.bySha256(SHA)).hasSize(1);
        StoredResult stored = results.find(SHA, "bpm", 1, "00ff").orElseThrow();
        assertThat(stored.status()).isEqualTo(ResultStatus.SUCCEEDED);
        assertThat(stored.envelopeJson()).contains("\"tempo\": 120");
        assertThat(stored.paramsJson()).contains("min_bpm");

        ResultRow keyFailed = new ResultRow(SHA, "key", 1, "00ff", "{}", null, ResultStatus.FAILED, "broken", Instant.now());
        write(ResultUpsert.SQL, ps -> ResultUpsert.bind(ps, keyFailed));
        ResultRow keyOk = new ResultRow(SHA, "key", 1, "00ff", "{}", "{\"results\": {\"key\": \"A\"}}", ResultStatus.SUCCEEDED, null, Instant.now());
        write(ResultUpsert.SQL, ps -> ResultUpsert.bind(ps, keyOk));
        assertThat(results.bySha256AndAnalyzer(SHA, "key")).singleElement()
                .satisfies(r -> assertThat(r.status()).as("a recomputed success replaces a failure").isEqualTo(ResultStatus.SUCCEEDED));
        ResultRow keyV2 = new ResultRow(SHA, "key", 2, "00ff", "{}", "{\"results\": {}}", ResultStatus.SUCCEEDED, null, Instant.now());
        write(ResultUpsert.SQL, ps -> ResultUpsert.bind(ps, keyV2));
        assertThat(results.bySha256AndAnalyzer(SHA, "key")).extracting(StoredResult::version).containsExactly(2, 1);
    }

    @Test
    void jobStatusesOnlyMoveForwardAndStayWithTheirAccount() throws Exception {
        UUID account = account();
        UUID other = account();
        UUID job = UUID.randomUUID();
        exec("INSERT INTO jobs (id, account_id, kind, status) VALUES (?, ?, 'analysis', 'queued')", job, account);

        transition(job, account, JobStatus.RUNNING, null, null);
        transition(job, account, JobStatus.SUCCEEDED, null, "{\"results\": {}}");
        transition(job, account, JobStatus.RUNNING, null, null); // replayed after a failover
        transition(job, account, JobStatus.FAILED, "late", null); // another terminal status does not win
        transition(job, other, JobStatus.CANCELLED, null, null);   // not that account's job

        JobRepository jobs = new JobRepository(db.dataSource());
        StoredJob stored = jobs.find(job, account).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored.error()).isNull();
        assertThat(stored.resultJson()).isEqualTo("{\"results\": {}}");
        assertThat(stored.startedAt()).isNotNull();
        assertThat(stored.finishedAt()).isNotNull();
        assertThat(stored.requestedAnalyzersJson()).contains("bpm");
        assertThat(stored.sha256()).isEqualTo(SHA);
        assertThat(jobs.find(job, other)).as("another account's job is invisible").isEmpty();
        assertThat(jobs.status(job, account)).contains(JobStatus.SUCCEEDED);
    }

    @Test
    void aTransitionCreatesAMissingJobOnlyForAnExistingAccount() throws Exception {
        UUID account = account();
        UUID job = UUID.randomUUID();
        transition(job, account, JobStatus.FAILED, "undecodable", null);
        assertThat(new JobRepository(db.dataSource()).find(job, account)).hasValueSatisfying(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.FAILED);
            assertThat(j.assetId()).as("unknown asset not linked").isNull();
        });

        UUID ghost = UUID.randomUUID();
        UUID orphan = UUID.randomUUID();
        transition(orphan, ghost, JobStatus.SUCCEEDED, null, null); // no foreign-key failure: nothing written
        assertThat(new JobRepository(db.dataSource()).find(orphan, ghost)).isEmpty();
    }

    private void transition(UUID job, UUID account, JobStatus status, String error, String result) throws SQLException {
        JobTransition t = new JobTransition(job.toString(), account.toString(), UUID.randomUUID().toString(), SHA, status,
                error, "[{\"name\": \"bpm\"}]", result, Instant.now());
        write(JobTransitionUpsert.SQL, ps -> JobTransitionUpsert.bind(ps, t));
    }

    private UUID account() throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO accounts (id, name, plan) VALUES (?, 'a', 'basic')", id);
        return id;
    }

    private void exec(String sql, Object... args) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }

    private void write(String sql, Binder binder) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }
}
