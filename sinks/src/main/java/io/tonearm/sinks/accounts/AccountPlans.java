package io.tonearm.sinks.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** An account's plan as stored, read on the caller's connection (and so in its transaction). */
public final class AccountPlans {

    private AccountPlans() {
    }

    /** The plan of {@code account}; empty when there is no such account. */
    public static Optional<Plan> find(Connection c, UUID account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT plan FROM accounts WHERE id = ?")) {
            ps.setObject(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Plan.of(rs.getString(1))) : Optional.empty();
            }
        }
    }
}
