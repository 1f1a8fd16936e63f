package io.tonearm.api.ratelimit;

import io.tonearm.sinks.postgres.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

/**
 * Fixed-window request counter per API key, kept in PostgreSQL so the limit holds across API replicas.
 * One upsert per request; the window boundaries come from the database clock, so replicas with skewed clocks
 * still share windows.
 */
public final class RateLimiter {

    /**
     * The state after counting one request.
     *
     * @param limit        requests allowed per window
     * @param used         requests counted in this window, including this one
     * @param resetSeconds seconds until the window ends (at least 1)
     */
    public record Decision(int limit, int used, long resetSeconds) {
        public boolean allowed() {
            return used <= limit;
        }

        public int remaining() {
            return Math.max(0, limit - used);
        }
    }

    private final Database db;

    public RateLimiter(Database db) {
        this.db = db;
    }

    /** Counts one request of {@code keyId} in the current window of {@code windowSeconds}. */
    public Decision hit(UUID keyId, int limit, long windowSeconds) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / ?) * ?) AS start)
                    INSERT INTO rate_limit_windows AS r (key_id, window_start, hits)
                    SELECT ?, w.start, 1 FROM w
                    ON CONFLICT (key_id, window_start) DO UPDATE SET hits = r.hits + 1
                    RETURNING r.hits, ceil(extract(epoch FROM r.window_start + make_interval(secs => ?) - now()))""")) {
                ps.setLong(1, windowSeconds);
                ps.setLong(2, windowSeconds);
                ps.setObject(3, keyId);
                ps.setLong(4, windowSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Decision(limit, rs.getInt(1), Math.max(1, rs.getLong(2)));
                }
            }
        });
    }

    /** Drops windows that ended long ago; run periodically by one scheduler per replica (idempotent). */
    public int purgeOlderThan(long seconds) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM rate_limit_windows WHERE window_start < now() - make_interval(secs => ?)")) {
                ps.setLong(1, seconds);
                return ps.executeUpdate();
            }
        });
    }
}
