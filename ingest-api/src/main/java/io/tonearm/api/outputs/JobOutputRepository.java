package io.tonearm.api.outputs;

import io.tonearm.sinks.postgres.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@code job_outputs} (filled by the jobs trigger of V6) joined with the job's account and finish time. */
final class JobOutputRepository {

    private static final String SELECT = "SELECT o.job_id, j.account_id, o.name, o.analyzer, o.sha256, o.media_type, "
            + "o.size_bytes, j.finished_at FROM job_outputs o JOIN jobs j ON j.id = o.job_id ";

    private final Database db;

    JobOutputRepository(Database db) {
        this.db = db;
    }

    List<JobOutput> ofJob(UUID jobId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE o.job_id = ? ORDER BY o.analyzer, o.name")) {
                ps.setObject(1, jobId);
                List<JobOutput> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            }
        });
    }

    /** The output {@code name} of the account's job {@code jobId}; empty for anything else (also another account's). */
    Optional<JobOutput> find(UUID accountId, UUID jobId, String name) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + "WHERE o.job_id = ? AND j.account_id = ? AND o.name = ?")) {
                ps.setObject(1, jobId);
                ps.setObject(2, accountId);
                ps.setString(3, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    private static JobOutput read(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp(8);
        return new JobOutput(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getLong(7), finished == null ? null : finished.toInstant());
    }
}
