package io.tonearm.sinks.outbox;

import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The V11 trigger against a real PostgreSQL: a transaction that appends outbox rows wakes a listener once, at its
 * commit, and a rolled-back one never does (the relay would otherwise re-read for nothing, or read too early).
 */
class OutboxNotifyTest {

    static Database db;
    private Connection listener;

    @BeforeAll
    static void open() {
        PostgresServer pg = LocalStack.shared().postgres();
        db = Database.open(pg.createDatabase("o_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)),
                PostgresServer.SUPERUSER, null, 4);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void listen() throws SQLException {
        listener = db.dataSource().getConnection();
        try (Statement s = listener.createStatement()) {
            s.execute("LISTEN " + Outbox.CHANNEL);
        }
    }

    @AfterEach
    void unlisten() throws SQLException {
        try (Statement s = listener.createStatement()) {
            s.execute("UNLISTEN *"); // the connection goes back to a pool
        }
        listener.close();
    }

    @Test
    void aCommittedTransactionOfSeveralRowsNotifiesOnceAtItsCommit() throws Exception {
        Outbox outbox = new Outbox();
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.append(c, "test.notify", "k1", Map.of("n", 1));
            outbox.append(c, "test.notify", "k2", Map.of("n", 2));
            assertThat(notifications(300)).as("nothing before the commit: the rows are not visible yet").isZero();
            c.commit();
        }

        assertThat(notifications(5_000)).isEqualTo(1);
        assertThat(notifications(300)).as("one wake-up per transaction, not per row").isZero();
    }

    @Test
    void aRolledBackTransactionNotifiesNobody() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            new Outbox().append(c, "test.notify", "k", Map.of("n", 1));
            c.rollback();
        }

        assertThat(notifications(500)).isZero();
    }

    @Test
    void writesThatFireNoTriggersNotifyNobodyWhichIsWhyTheRelayStillPolls() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica"); // as a restore or logical replication writes
            }
            new Outbox().append(c, "test.notify", "k", Map.of("n", 1));
            c.commit();
        }

        assertThat(notifications(500)).isZero();
    }

    /** Notifications on the outbox channel that arrive within {@code waitMillis} (all of them, if any came). */
    private int notifications(int waitMillis) throws SQLException {
        PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(waitMillis);
        int n = 0;
        for (PGNotification notification : got == null ? new PGNotification[0] : got) {
            assertThat(notification.getName()).isEqualTo(Outbox.CHANNEL);
            n++;
        }
        return n;
    }
}
