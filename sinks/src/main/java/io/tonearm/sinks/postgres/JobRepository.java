package io.tonearm.sinks.postgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Read side of {@code jobs} for the API. A job is only ever visible to its own account. */
public final class JobRepository {

    private final DataSource dataSource;

    public JobRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The job when it exists and belongs to {@code accountId}; empty otherwise (the API answers 404 for both). */
    public Optional<StoredJob> find(UUID jobId, UUID accountId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT id, account_id, asset_id, kind, status, error, sha256, requested_analyzers::text,
                            result::text, outputs::text, created_at, updated_at, started_at, finished_at
                     FROM jobs WHERE id = ? AND account_id = ?""")) {
            ps.setObject(1, jobId);
            ps.setObject(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new StoredJob(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getString(4), JobStatus.fromSql(rs.getString(5)),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)),
                        instant(rs.getTimestamp(14))));
            }
        } catch (SQLException e) {
            throw new Database.DataAccessException(e);
        }
    }

    /** Just the status, for polling. */
    public Optional<JobStatus> status(UUID jobId, UUID accountId) {
        return find(jobId, accountId).map(StoredJob::status);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
