package io.tonearm.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Creation of a job row, inside the caller's transaction (the one that also writes its outbox event). Used by the
 * API's processing endpoints and by asset registration outside the API (catalog scans, Kafka ingestion).
 */
public final class JobInsert {

    /** A job to create. {@code resultJson} is set only for a job born finished (every result already computed). */
    public record NewJob(UUID id, UUID accountId, UUID assetId, String kind, JobStatus status, String sha256,
                         String requestedAnalyzersJson, String resultJson, String idempotencyKey, String requestHash) {
    }

    private JobInsert() {
    }

    /** Inserts the job; false when the account already has a job with this idempotency key (nothing written). */
    public static boolean insert(Connection c, NewJob j) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO jobs (id, account_id, asset_id, kind, status, sha256, requested_analyzers, result,
                                  idempotency_key, request_hash, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, CASE WHEN ? THEN now() END)
                ON CONFLICT (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING""")) {
            ps.setObject(1, j.id());
            ps.setObject(2, j.accountId());
            ps.setObject(3, j.assetId());
            ps.setString(4, j.kind());
            ps.setString(5, j.status().sql());
            ps.setString(6, j.sha256());
            ps.setString(7, j.requestedAnalyzersJson());
            ps.setString(8, j.resultJson());
            ps.setString(9, j.idempotencyKey());
            ps.setString(10, j.requestHash());
            ps.setBoolean(11, j.status().terminal());
            return ps.executeUpdate() == 1;
        }
    }
}
