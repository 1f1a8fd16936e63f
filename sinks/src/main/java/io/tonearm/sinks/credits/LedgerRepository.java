package io.tonearm.sinks.credits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** SQL of the ledger; every method runs on the caller's connection (and so in its transaction). */
final class LedgerRepository {

    enum Kind {
        GRANT, CHARGE, REFUND;

        String sql() {
            return name().toLowerCase();
        }
    }

    /**
     * Charge keys of operators' top-ups: grants like the monthly allowance (whose keys start {@code grant:}), told
     * apart by this prefix so that the month's statement lists them on their own.
     */
    static final String TOP_UP_PREFIX = "topup:";

    /** One ledger row; {@code amount} is the signed change of the balance. */
    record Entry(UUID accountId, Kind kind, String chargeKey, String endpoint, long amount, long balanceAfter,
                 String period, Instant createdAt) {
    }

    enum Outcome { APPLIED, DUPLICATE, INSUFFICIENT, NO_ACCOUNT }

    /** What {@link #append} did, and the balance after it. */
    record Appended(Outcome outcome, long balance) {
    }

    /**
     * Changes the balance by {@code delta} and records why, atomically: the balance moves first (locking the
     * account row, which serialises all changes of one account), then the row is inserted unless its
     * (kind, charge key) exists, in which case the balance change is undone within the same transaction.
     * A change that would make the balance negative changes nothing.
     */
    Appended append(Connection c, UUID account, Kind kind, String chargeKey, String endpoint, long delta, String period)
            throws SQLException {
        OptionalLong after = addToBalance(c, account, delta);
        if (after.isEmpty()) {
            OptionalLong balance = balance(c, account);
            return balance.isEmpty() ? new Appended(Outcome.NO_ACCOUNT, 0)
                    : new Appended(Outcome.INSUFFICIENT, balance.getAsLong());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO credit_ledger (account_id, kind, charge_key, endpoint, amount, balance_after, period)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, charge_key) DO NOTHING RETURNING id""")) {
            ps.setObject(1, account);
            ps.setString(2, kind.sql());
            ps.setString(3, chargeKey);
            ps.setString(4, endpoint);
            ps.setLong(5, delta);
            ps.setLong(6, after.getAsLong());
            ps.setString(7, period);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Appended(Outcome.APPLIED, after.getAsLong());
                }
            }
        }
        // A concurrent transaction recorded the same (kind, key) first and has committed: undo our change.
        return new Appended(Outcome.DUPLICATE, addToBalance(c, account, -delta).orElseThrow());
    }

    private static OptionalLong addToBalance(Connection c, UUID account, long delta) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE accounts SET credits = credits + ? WHERE id = ? AND credits + ? >= 0 RETURNING credits")) {
            ps.setLong(1, delta);
            ps.setObject(2, account);
            ps.setLong(3, delta);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    OptionalLong balance(Connection c, UUID account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT credits FROM accounts WHERE id = ?")) {
            ps.setObject(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    Optional<Entry> find(Connection c, Kind kind, String chargeKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT account_id, endpoint, amount, balance_after, period, created_at FROM credit_ledger
                WHERE kind = ? AND charge_key = ?""")) {
            ps.setString(1, kind.sql());
            ps.setString(2, chargeKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Entry(rs.getObject(1, UUID.class), kind, chargeKey, rs.getString(2),
                        rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
            }
        }
    }

    /** Charges and refunds of one account in one period, per endpoint, endpoints sorted. */
    Map<String, CreditUsage.EndpointUsage> usage(Connection c, UUID account, String period) throws SQLException {
        Map<String, CreditUsage.EndpointUsage> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT endpoint, count(*) FILTER (WHERE kind = 'charge'), count(*) FILTER (WHERE kind = 'refund'),
                       -sum(amount)
                FROM credit_ledger WHERE account_id = ? AND period = ? AND kind IN ('charge', 'refund')
                GROUP BY endpoint ORDER BY endpoint""")) {
            ps.setObject(1, account);
            ps.setString(2, period);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new CreditUsage.EndpointUsage(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /**
     * One account's period by what moved its balance: the plan's grant, top-ups, charges and refunds, each as a
     * count of rows and the credits they moved (magnitudes).
     */
    CreditStatement.Month month(Connection c, UUID account, String period) throws SQLException {
        Map<String, CreditStatement.Flow> flows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT CASE WHEN kind = 'grant' AND starts_with(charge_key, ?) THEN 'topup' ELSE kind END,
                       count(*), coalesce(abs(sum(amount)), 0)
                FROM credit_ledger WHERE account_id = ? AND period = ? GROUP BY 1""")) {
            ps.setString(1, TOP_UP_PREFIX);
            ps.setObject(2, account);
            ps.setString(3, period);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    flows.put(rs.getString(1), new CreditStatement.Flow(rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        CreditStatement.Flow none = new CreditStatement.Flow(0, 0);
        return new CreditStatement.Month(period, flows.getOrDefault("grant", none), flows.getOrDefault("topup", none),
                flows.getOrDefault("charge", none), flows.getOrDefault("refund", none));
    }
}
