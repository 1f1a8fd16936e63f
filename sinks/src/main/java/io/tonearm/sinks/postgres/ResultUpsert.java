package io.tonearm.sinks.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * The idempotent write of a {@link ResultRow}: an upsert on the primary key, every column set from
 * {@code EXCLUDED}, so writing the same row twice (the JDBC sink is at-least-once) leaves one row. A stored
 * success is never replaced by a failure (a retry that timed out does not erase a result).
 */
public final class ResultUpsert {

    public static final String SQL = """
            INSERT INTO analysis_results (sha256, analyzer, version, params_hash, params, envelope, status, error, computed_at)
            VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)
            ON CONFLICT (sha256, analyzer, version, params_hash) DO UPDATE SET
                params = EXCLUDED.params, envelope = EXCLUDED.envelope, status = EXCLUDED.status,
                error = EXCLUDED.error, computed_at = EXCLUDED.computed_at
            WHERE analysis_results.status = 'failed' OR EXCLUDED.status = 'succeeded'
            """;

    private ResultUpsert() {
    }

    public static void bind(PreparedStatement ps, ResultRow r) throws SQLException {
        ps.setString(1, r.sha256());
        ps.setString(2, r.analyzer());
        ps.setInt(3, r.version());
        ps.setString(4, r.paramsHash());
        ps.setString(5, r.params() == null ? "{}" : r.params());
        if (r.envelopeJson() == null) ps.setNull(6, Types.VARCHAR);
        else ps.setString(6, r.envelopeJson());
        ps.setString(7, r.status().sql());
        ps.setString(8, r.error());
        ps.setTimestamp(9, Timestamp.from(r.computedAt()));
    }
}
