package io.tonearm.api.jobs;

import io.tonearm.api.assets.PageCursor;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.JobStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The API's writes to {@code jobs} (cancellation; creation is the sinks module's
 * {@link io.tonearm.sinks.postgres.JobInsert}) and the filtered listing; single reads go through
 * {@link io.tonearm.sinks.postgres.JobRepository}. Every statement is scoped to one account.
 */
public final class JobStore {

    /** An existing job found by its idempotency key, with the fingerprint of the request that created it. */
    public record KeyedJob(UUID id, String requestHash) {
    }

    /** Filters of {@code GET /v1/jobs}; null means any. */
    public record Filter(JobStatus status, String kind, UUID assetId, PageCursor after, int limit) {
    }

    public record Page(List<UUID> ids, PageCursor next) {
    }

    private final Database db;

    public JobStore(Database db) {
        this.db = db;
    }

    /** Records what the request added that the job's result repeats (V6 {@code jobs.options}), in the caller's transaction. */
    public void setOptions(Connection c, UUID jobId, String json) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET options = ?::jsonb WHERE id = ?")) {
            ps.setString(1, json);
            ps.setObject(2, jobId);
            ps.executeUpdate();
        }
    }

    /** The job's options as JSON text, when the request set any. */
    public Optional<String> options(UUID jobId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT options::text FROM jobs WHERE id = ? AND options IS NOT NULL")) {
                ps.setObject(1, jobId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    public Optional<KeyedJob> byIdempotencyKey(UUID accountId, String key) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, request_hash FROM jobs WHERE account_id = ? AND idempotency_key = ?")) {
                ps.setObject(1, accountId);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new KeyedJob(rs.getObject(1, UUID.class), rs.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }

    /**
     * queued → cancelled, only before the job started (forward-only like every transition).
     *
     * @return true when this call cancelled it
     */
    public boolean cancelIfQueued(UUID accountId, UUID jobId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE jobs SET status = 'cancelled', error = 'cancelled by the client', finished_at = now(),
                                    updated_at = now()
                    WHERE id = ? AND account_id = ? AND status = 'queued'""")) {
                ps.setObject(1, jobId);
                ps.setObject(2, accountId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Newest first, keyset-paginated on (created_at, id). */
    public Page list(UUID accountId, Filter f) {
        StringBuilder sql = new StringBuilder("SELECT id, created_at FROM jobs WHERE account_id = ?");
        List<Object> args = new ArrayList<>(List.of(accountId));
        if (f.status() != null) {
            sql.append(" AND status = ?");
            args.add(f.status().sql());
        }
        if (f.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(f.kind());
        }
        if (f.assetId() != null) {
            sql.append(" AND asset_id = ?");
            args.add(f.assetId());
        }
        if (f.after() != null) {
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(Timestamp.from(f.after().createdAt()));
            args.add(f.after().id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(f.limit() + 1);
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<UUID> ids = new ArrayList<>();
                PageCursor next = null;
                try (ResultSet rs = ps.executeQuery()) {
                    Instant lastAt = null;
                    UUID lastId = null;
                    while (rs.next()) {
                        if (ids.size() == f.limit()) {
                            next = new PageCursor(lastAt, lastId);
                            break;
                        }
                        lastId = rs.getObject(1, UUID.class);
                        lastAt = rs.getTimestamp(2).toInstant();
                        ids.add(lastId);
                    }
                }
                return new Page(ids, next);
            }
        });
    }
}
