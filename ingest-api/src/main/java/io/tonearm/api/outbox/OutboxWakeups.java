package io.tonearm.api.outbox;

import io.tonearm.sinks.outbox.Outbox;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Commits of outbox rows as the V11 trigger announces them on {@link Outbox#CHANNEL}, heard on the relay leader's
 * own connection: it holds the advisory lock and stays idle outside any transaction, which is when PostgreSQL
 * delivers notifications. The caller UNLISTENs before the connection goes back to the pool.
 */
final class OutboxWakeups {

    /** Bounds one blocking read, so a stopping relay is seen soon even with a long poll interval. */
    private static final long SLICE_MILLIS = 500;

    private final PGConnection connection;

    OutboxWakeups(Connection leader) throws SQLException {
        try (Statement s = leader.createStatement()) {
            s.execute("LISTEN " + Outbox.CHANNEL);
        }
        this.connection = leader.unwrap(PGConnection.class);
    }

    /** Forgets the wake-ups received so far: the pass that follows reads every row they announced. */
    void drain() throws SQLException {
        connection.getNotifications(); // does not block
    }

    /**
     * Returns at the next wake-up, after {@code fallback} (a wake-up can be missed: writes that fire no triggers),
     * or as soon as {@code running} turns false.
     */
    void await(Duration fallback, BooleanSupplier running) throws SQLException {
        long deadline = System.nanoTime() + fallback.toNanos();
        while (running.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            // a positive timeout returns with the first notification; 0 would block forever. None came: the
            // interface says null, pgjdbc 42.7.8 returns an empty array.
            PGNotification[] got = connection.getNotifications((int) Math.min(left, SLICE_MILLIS));
            if (got != null && got.length > 0) {
                return;
            }
        }
    }
}
