package io.tonearm.sinks.credits;

import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger against a real PostgreSQL: charges, 402, idempotency, refunds, the monthly grant. */
class CreditLedgerTest {

    /** A clock tests move forward (to the next month). */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    static Database db;
    final TestClock clock = new TestClock();
    final CreditPolicy policy = CreditPolicy.defaults().withMonthlyAllowance(Plan.BASIC, 10);
    final CreditLedger ledger = new CreditLedger(db, policy, Tariff.standard(), clock);

    @BeforeAll
    static void database() {
        PostgresServer pg = LocalStack.shared().postgres();
        db = Database.open(pg.createDatabase("c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)),
                PostgresServer.SUPERUSER, null, 8);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    UUID newAccount(Plan plan) {
        UUID id = UUID.randomUUID();
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, name, plan) VALUES (?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setString(2, "credits-" + id);
                ps.setString(3, plan.id());
                return ps.executeUpdate();
            }
        });
        return id;
    }

    long count(String sql, Object... args) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void aChargeTakesTheTablePriceAfterTheMonthlyGrant() {
        UUID a = newAccount(Plan.BASIC);
        Charge c = ledger.charge(a, "bpm", null, "job-" + UUID.randomUUID());
        assertThat(c.amount()).isEqualTo(2);
        assertThat(c.balanceAfter()).isEqualTo(8);
        assertThat(c.replayed()).isFalse();
        Charge minutes = ledger.charge(a, "master", 59.5, "job-" + UUID.randomUUID());
        assertThat(minutes.amount()).as("one started minute at 5").isEqualTo(5);
        assertThat(minutes.balanceAfter()).isEqualTo(3);
        assertThat(ledger.balance(a)).isEqualTo(3);
    }

    @Test
    void withoutEnoughCreditsItIsRefusedAndNothingIsCharged() {
        UUID a = newAccount(Plan.BASIC);
        String key = "job-" + UUID.randomUUID();
        assertThatThrownBy(() -> ledger.charge(a, "separate/4stem", 90.0, key))
                .isInstanceOfSatisfying(OutOfCreditsException.class, e -> {
                    assertThat(e.code()).isEqualTo("insufficient_credits");
                    assertThat(e.required()).isEqualTo(20);
                    assertThat(e.balance()).isEqualTo(10);
                });
        assertThat(ledger.balance(a)).isEqualTo(10);
        assertThat(count("SELECT count(*) FROM credit_ledger WHERE charge_key = ?", key)).isZero();
        // What the balance covers still goes through.
        assertThat(ledger.charge(a, "separate/4stem", 30.0, key).amount()).isEqualTo(10);
        assertThat(ledger.balance(a)).isZero();
    }

    @Test
    void aChargeInTheCallersTransactionRollsBackWithIt() {
        UUID a = newAccount(Plan.BASIC);
        String key = "job-" + UUID.randomUUID();
        assertThatThrownBy(() -> db.inTransaction(tx -> {
            ledger.charge(tx, a, "chords", null, key);
            throw new IllegalStateException("creating the job failed");
        })).hasMessageContaining("creating the job failed");
        assertThat(count("SELECT count(*) FROM credit_ledger WHERE charge_key = ?", key)).isZero();
        assertThat(ledger.balance(a)).isEqualTo(10);
    }

    @Test
    void chargingAKeyAgainTakesNothingAlsoConcurrently() throws Exception {
        UUID a = newAccount(Plan.BASIC);
        String key = "job-" + UUID.randomUUID();
        Charge first = ledger.charge(a, "key", null, key);
        Charge again = ledger.charge(a, "key", null, key);
        assertThat(again.replayed()).isTrue();
        assertThat(again.amount()).isEqualTo(first.amount());
        assertThat(ledger.balance(a)).isEqualTo(8);

        String raced = "job-" + UUID.randomUUID();
        CreditLedger replica = new CreditLedger(db, policy, Tariff.standard(), clock);
        List<Charge> both = race(() -> ledger.charge(a, "beatgrid", null, raced),
                () -> replica.charge(a, "beatgrid", null, raced));
        assertThat(both).extracting(Charge::replayed).containsExactlyInAnyOrder(true, false);
        assertThat(ledger.balance(a)).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM credit_ledger WHERE kind = 'charge' AND charge_key = ?", raced)).isOne();

        UUID other = newAccount(Plan.BASIC);
        assertThatThrownBy(() -> ledger.charge(other, "key", null, key)).as("a key belongs to one account")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefundGivesTheChargeBackOnce() {
        UUID a = newAccount(Plan.BASIC);
        String key = "job-" + UUID.randomUUID();
        ledger.charge(a, "chords", null, key);
        assertThat(ledger.balance(a)).isEqualTo(6);
        assertThat(ledger.refund(key)).isTrue();
        assertThat(ledger.refund(key)).isFalse();
        assertThat(ledger.balance(a)).isEqualTo(10);
        assertThat(ledger.refund("job-never-charged")).isFalse();
        assertThat(ledger.charge(a, "chords", null, key).replayed()).as("a refunded key is not charged again").isTrue();
        assertThat(ledger.balance(a)).isEqualTo(10);

        CreditUsage usage = ledger.usage(a);
        assertThat(usage.period()).isEqualTo("2026-11");
        assertThat(usage.monthlyAllowance()).isEqualTo(10);
        assertThat(usage.charged()).isZero();
        assertThat(usage.byEndpoint()).containsOnlyKeys("chords");
        assertThat(usage.byEndpoint().get("chords")).isEqualTo(new CreditUsage.EndpointUsage(1, 1, 0));
    }

    @Test
    void theMonthlyGrantHappensOncePerMonthEvenWhenTwoReplicasRace() throws Exception {
        for (int round = 0; round < 5; round++) {
            UUID a = newAccount(Plan.BASIC);
            CreditLedger replicaA = new CreditLedger(db, policy, Tariff.standard(), clock);
            CreditLedger replicaB = new CreditLedger(db, policy, Tariff.standard(), clock);
            race(() -> replicaA.balance(a), () -> replicaB.charge(a, "bpm", null, "job-" + UUID.randomUUID()));
            assertThat(replicaA.balance(a)).isEqualTo(8);
            assertThat(count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'grant'", a)).isOne();
        }
        UUID a = newAccount(Plan.PRO);
        assertThat(ledger.balance(a)).isEqualTo(20000);
        ledger.charge(a, "lufs", null, "job-" + UUID.randomUUID());
        clock.now.set(Instant.parse("2026-12-01T00:00:01Z"));
        CreditLedger replica = new CreditLedger(db, policy, Tariff.standard(), clock);
        race(() -> ledger.balance(a), () -> replica.balance(a));
        assertThat(ledger.balance(a)).as("December's allowance on top of what was left").isEqualTo(2 * 20000 - 2);
        assertThat(count("SELECT count(*) FROM credit_ledger WHERE account_id = ? AND kind = 'grant'", a)).isEqualTo(2);
        assertThat(ledger.usage(a).period()).isEqualTo("2026-12");
        assertThat(ledger.usage(a).byEndpoint()).as("November's charge is not December's usage").isEmpty();
    }

    @Test
    void theLedgerIsAppendOnlyAndExplainsTheBalance() {
        UUID a = newAccount(Plan.BASIC);
        String key = "job-" + UUID.randomUUID();
        ledger.charge(a, "identify", null, key);
        ledger.refund(key);
        ledger.charge(a, "pitch", null, "job-" + UUID.randomUUID());
        assertThat(count("SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE account_id = ?", a))
                .isEqualTo(ledger.balance(a)).isEqualTo(8);
        assertThatThrownBy(() -> db.withConnection(c -> c.createStatement()
                .executeUpdate("UPDATE credit_ledger SET amount = 0"))).hasMessageContaining("append-only");
    }

    @SafeVarargs
    static <T> List<T> race(java.util.concurrent.Callable<T>... tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length);
        try {
            CyclicBarrier barrier = new CyclicBarrier(tasks.length);
            List<Future<T>> futures = new ArrayList<>();
            for (var task : tasks) {
                futures.add(pool.submit(() -> {
                    barrier.await();
                    return task.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
