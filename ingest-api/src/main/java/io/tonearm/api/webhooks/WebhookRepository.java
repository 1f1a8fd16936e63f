package io.tonearm.api.webhooks;

import io.tonearm.sinks.postgres.Database;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code webhooks}, the delivery queue {@code webhook_deliveries} and its log {@code webhook_attempts} (V5). */
final class WebhookRepository {

    /** A delivery claimed by a worker: where to send what, signed with which secret. */
    record Due(UUID id, UUID eventId, String eventType, String payload, int attempts, String url, String secret,
               boolean webhookDeleted) {
    }

    private final Database db;

    WebhookRepository(Database db) {
        this.db = db;
    }

    Webhook insert(UUID accountId, String url, List<String> events, String secret) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks (id, account_id, url, events, secret) "
                    + "VALUES (?, ?, ?, ?, ?) RETURNING id, url, events, created_at")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, accountId);
                ps.setString(3, url);
                ps.setArray(4, c.createArrayOf("text", events.toArray()));
                ps.setString(5, secret);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return webhook(rs);
                }
            }
        });
    }

    List<Webhook> list(UUID accountId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, url, events, created_at FROM webhooks "
                    + "WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id DESC")) {
                ps.setObject(1, accountId);
                List<Webhook> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(webhook(rs));
                    }
                }
                return out;
            }
        });
    }

    Optional<Webhook> find(UUID accountId, UUID id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, url, events, created_at FROM webhooks "
                    + "WHERE account_id = ? AND id = ? AND deleted_at IS NULL")) {
                ps.setObject(1, accountId);
                ps.setObject(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(webhook(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Stops new deliveries at once; the log stays readable by the worker's bookkeeping only. */
    boolean delete(UUID accountId, UUID id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhooks SET deleted_at = now() "
                    + "WHERE account_id = ? AND id = ? AND deleted_at IS NULL")) {
                ps.setObject(1, accountId);
                ps.setObject(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Newest first, each with its attempts in order. */
    List<Delivery> deliveries(UUID webhookId, int limit) {
        return db.withConnection(c -> {
            Map<UUID, Delivery> byId = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, event_id, event_type, status, attempts, "
                    + "next_attempt_at, last_error, created_at, finished_at FROM webhook_deliveries WHERE webhook_id = ? "
                    + "ORDER BY created_at DESC, id LIMIT ?")) {
                ps.setObject(1, webhookId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        byId.put(id, new Delivery(id, rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                                rs.getInt(5), instant(rs.getTimestamp(6)), rs.getString(7), instant(rs.getTimestamp(8)),
                                instant(rs.getTimestamp(9)), new ArrayList<>()));
                    }
                }
            }
            if (byId.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT delivery_id, attempt, attempted_at, status_code, "
                    + "error, duration_ms FROM webhook_attempts WHERE delivery_id = ANY (?) ORDER BY delivery_id, attempt")) {
                ps.setArray(1, c.createArrayOf("uuid", byId.keySet().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int code = rs.getInt(4);
                        Integer status = rs.wasNull() ? null : code;
                        byId.get(rs.getObject(1, UUID.class)).attemptLog().add(new Delivery.Attempt(rs.getInt(2),
                                instant(rs.getTimestamp(3)), status, rs.getString(5), rs.getInt(6)));
                    }
                }
            }
            return List.copyOf(byId.values());
        });
    }

    /**
     * Claims up to {@code max} due deliveries (FOR UPDATE SKIP LOCKED, so replicas never take the same row) and
     * leases them: their next attempt moves {@code lease} ahead, so a worker that dies mid-send leaves them to be
     * retried after the lease instead of lost. The HTTP call happens outside this transaction.
     */
    List<Due> claimDue(int max, Duration lease) {
        return db.inTransaction(c -> {
            List<Due> due = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT d.id, d.event_id, d.event_type, d.payload::text, d.attempts, w.url, w.secret,
                           w.deleted_at IS NOT NULL
                    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                    ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE OF d SKIP LOCKED""")) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getBoolean(8)));
                    }
                }
            }
            if (!due.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET next_attempt_at = now() + ? * interval '1 millisecond' WHERE id = ANY (?)")) {
                    ps.setLong(1, lease.toMillis());
                    ps.setArray(2, c.createArrayOf("uuid", due.stream().map(Due::id).toArray()));
                    ps.executeUpdate();
                }
            }
            return due;
        });
    }

    /**
     * Logs one attempt and moves the delivery on: delivered, retried at {@code retryAt}, or (retryAt null) given up.
     */
    void recordAttempt(UUID deliveryId, int attempt, Instant at, Integer statusCode, String error, int durationMs,
                       boolean delivered, Instant retryAt) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_attempts (delivery_id, attempt, "
                    + "attempted_at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setObject(1, deliveryId);
                ps.setInt(2, attempt);
                ps.setTimestamp(3, Timestamp.from(at));
                if (statusCode == null) ps.setNull(4, java.sql.Types.INTEGER);
                else ps.setInt(4, statusCode);
                ps.setString(5, error);
                ps.setInt(6, durationMs);
                ps.executeUpdate();
            }
            String status = delivered ? "succeeded" : retryAt == null ? "failed" : "pending";
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET attempts = ?, status = ?, "
                    + "last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), "
                    + "finished_at = CASE WHEN ? <> 'pending' THEN now() END WHERE id = ?")) {
                ps.setInt(1, attempt);
                ps.setString(2, status);
                ps.setString(3, delivered ? null : error != null ? error : "HTTP " + statusCode);
                ps.setTimestamp(4, retryAt == null ? null : Timestamp.from(retryAt));
                ps.setString(5, status);
                ps.setObject(6, deliveryId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        Array events = rs.getArray(3);
        return new Webhook(rs.getObject(1, UUID.class), rs.getString(2), Arrays.asList((String[]) events.getArray()),
                instant(rs.getTimestamp(4)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
