package io.tonearm.api.accounts;

import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.postgres.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

final class AccountRepository {

    /** A key row joined with its account's state. */
    record KeyRecord(UUID keyId, UUID accountId, byte[] hash, boolean revoked, boolean suspended, Plan plan) {
    }

    /** Counts of what an account holds. */
    record Usage(long assets, long bytes) {
    }

    private final Database db;

    AccountRepository(Database db) {
        this.db = db;
    }

    Account insert(Connection c, String name, Plan plan) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO accounts (id, name, plan) VALUES (?, ?, ?) RETURNING id, name, plan, credits, created_at")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, name);
            ps.setString(3, plan.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return account(rs);
            }
        }
    }

    void insertKey(Connection c, UUID accountId, ApiKeys.NewKey key, String label) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO api_keys (id, account_id, prefix, key_hash, name) VALUES (?, ?, ?, ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, accountId);
            ps.setString(3, key.prefix());
            ps.setBytes(4, key.hash());
            ps.setString(5, label);
            ps.executeUpdate();
        }
    }

    Optional<KeyRecord> findKey(String prefix) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT k.id, k.account_id, k.key_hash, k.revoked_at IS NOT NULL AS revoked,
                           a.suspended_at IS NOT NULL AS suspended, a.plan
                    FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.prefix = ?""")) {
                ps.setString(1, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new KeyRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getBytes(3), rs.getBoolean(4), rs.getBoolean(5), Plan.of(rs.getString(6))));
                }
            }
        });
    }

    Optional<Account> find(UUID id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, plan, credits, created_at FROM accounts WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(account(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The oldest account with this exact name (names are not unique), locked until the transaction ends. */
    Optional<Account> findByName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, plan, credits, created_at FROM accounts"
                + " WHERE name = ? ORDER BY created_at, id LIMIT 1 FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(account(rs)) : Optional.empty();
            }
        }
    }

    Usage usage(UUID accountId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*), coalesce(sum(size_bytes), 0) FROM assets WHERE account_id = ?")) {
                ps.setObject(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Usage(rs.getLong(1), rs.getLong(2));
                }
            }
        });
    }

    void revokeKey(String prefix) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_keys SET revoked_at = now() WHERE prefix = ? AND revoked_at IS NULL")) {
                ps.setString(1, prefix);
                return ps.executeUpdate();
            }
        });
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getObject("id", UUID.class), rs.getString("name"), Plan.of(rs.getString("plan")),
                rs.getLong("credits"), rs.getTimestamp("created_at").toInstant());
    }
}
