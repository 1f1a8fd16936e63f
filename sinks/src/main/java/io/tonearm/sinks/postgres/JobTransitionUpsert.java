package io.tonearm.sinks.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * The idempotent write of a {@link JobTransition}. The API normally created the job ({@code queued}) in the
 * transaction that published the request; the insert branch covers requests published by other producers.
 * It inserts only for an existing account (no foreign-key failure can poison the sink) and links the asset only
 * when it exists and belongs to that account. The update applies only when the status moves forward
 * ({@code job_status_rank}) and the job belongs to the same account, so replays and reordering are no-ops.
 */
public final class JobTransitionUpsert {

    public static final String SQL = """
            INSERT INTO jobs (id, account_id, asset_id, kind, status, error, sha256, requested_analyzers, result,
                              started_at, finished_at, created_at, updated_at)
            SELECT ?::uuid, a.id, (SELECT s.id FROM assets s WHERE s.id = ?::uuid AND s.account_id = a.id),
                   'analysis', ?, ?, ?, COALESCE(?::jsonb, '[]'::jsonb), ?::jsonb, ?, ?, ?, ?
            FROM accounts a WHERE a.id = ?::uuid
            ON CONFLICT (id) DO UPDATE SET
                status = EXCLUDED.status,
                error = EXCLUDED.error,
                sha256 = COALESCE(EXCLUDED.sha256, jobs.sha256),
                requested_analyzers = CASE WHEN EXCLUDED.requested_analyzers = '[]'::jsonb
                                           THEN jobs.requested_analyzers ELSE EXCLUDED.requested_analyzers END,
                result = COALESCE(EXCLUDED.result, jobs.result),
                started_at = COALESCE(jobs.started_at, EXCLUDED.started_at),
                finished_at = COALESCE(EXCLUDED.finished_at, jobs.finished_at),
                updated_at = EXCLUDED.updated_at
            WHERE jobs.account_id = EXCLUDED.account_id
              AND job_status_rank(jobs.status) < job_status_rank(EXCLUDED.status)
            """;

    private JobTransitionUpsert() {
    }

    public static void bind(PreparedStatement ps, JobTransition t) throws SQLException {
        Timestamp at = Timestamp.from(t.at());
        ps.setString(1, t.jobId());
        ps.setString(2, t.assetId());
        ps.setString(3, t.status().sql());
        ps.setString(4, t.error());
        ps.setString(5, t.sha256());
        ps.setString(6, t.requestedAnalyzers());
        ps.setString(7, t.resultJson());
        if (t.status() == JobStatus.RUNNING) ps.setTimestamp(8, at);
        else ps.setNull(8, Types.TIMESTAMP_WITH_TIMEZONE);
        if (t.status().terminal()) ps.setTimestamp(9, at);
        else ps.setNull(9, Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setTimestamp(10, at);
        ps.setTimestamp(11, at);
        ps.setString(12, t.accountId());
    }
}
