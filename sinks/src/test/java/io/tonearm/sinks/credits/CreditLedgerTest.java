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

/** The ledger against a real PostgreSQL: charges, 402, idempotency, refunds, the monthly grant, operators' top-ups. */
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

    @Test
    void aTopUpAddsItsCreditsOnceByItsKeyAlsoWhenRepeatedConcurrently() throws Exception {
        UUID a = newAccount(Plan.BASIC);
        String key = "invoice-" + UUID.randomUUID();
        TopUp first = ledger.topUp(a, 500, key);
        assertThat(first.replayed()).isFalse();
        assertThat(first.credits()).isEqualTo(500);
        assertThat(first.balanceAfter()).as("a top-up does not grant the month's allowance").isEqualTo(500);
        assertThat(ledger.balance(a)).as("the allowance comes with the next request").isEqualTo(510);

        TopUp again = ledger.topUp(a, 500, " " + key + " ");
        assertThat(again.replayed()).isTrue();
        assertThat(again.balanceAfter()).isEqualTo(500);
        assertThat(again.appliedAt()).isEqualTo(first.appliedAt());
        assertThat(ledger.balance(a)).isEqualTo(510);
        assertThat(count("SELECT count(*) FROM credit_ledger WHERE charge_key = ?", "topup:" + key)).isOne();

        String raced = "invoice-" + UUID.randomUUID();
        CreditLedger otherMachine = new CreditLedger(db, policy, Tariff.standard(), clock);
        List<TopUp> both = race(() -> ledger.topUp(a, 70, raced), () -> otherMachine.topUp(a, 70, raced));
        assertThat(both).extracting(TopUp::replayed).containsExactlyInAnyOrder(true, false);
        assertThat(ledger.balance(a)).isEqualTo(580);
        assertThat(count("SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE account_id = ?", a))
                .as("the ledger still explains the balance").isEqualTo(580);
    }

    @Test
    void aTopUpKeyNamesOneTopUpOfOneAccount() {
        UUID a = newAccount(Plan.BASIC);
        UUID other = newAccount(Plan.BASIC);
        String key = "invoice-" + UUID.randomUUID();
        ledger.topUp(a, 500, key);
        assertThatThrownBy(() -> ledger.topUp(other, 500, key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("used for another account");
        assertThatThrownBy(() -> ledger.topUp(a, 700, key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already added 500 credits, not 700");
        assertThat(ledger.balance(a)).isEqualTo(510);
        assertThat(ledger.balance(other)).isEqualTo(10);
        assertThat(ledger.charge(a, "bpm", null, "topup:" + key).replayed())
                .as("top-ups and charges keep separate keys").isFalse();
    }

    @Test
    void aTopUpOfABadAmountOrKeyOrForNoAccountIsRefusedAndChangesNothing() {
        UUID a = newAccount(Plan.BASIC);
        String key = "invoice-" + UUID.randomUUID();
        for (long bad : new long[]{0, -5, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> ledger.topUp(a, bad, key)).as("%d credits", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive number of credits");
        }
        for (long huge : new long[]{CreditLedger.MAX_TOP_UP + 1, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> ledger.topUp(a, huge, key)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 100000000 credits");
        }
        assertThat(ledger.topUp(a, CreditLedger.MAX_TOP_UP, key).credits()).as("the bound itself is allowed")
                .isEqualTo(CreditLedger.MAX_TOP_UP);
        assertThatThrownBy(() -> ledger.topUp(a, 5, null)).hasMessageContaining("needs a key");
        assertThatThrownBy(() -> ledger.topUp(a, 5, "  ")).hasMessageContaining("needs a key");
        assertThatThrownBy(() -> ledger.topUp(a, 5, "k".repeat(129))).hasMessageContaining("at most 128 characters");
        assertThatThrownBy(() -> ledger.topUp(a, 5, "line\nbreak")).hasMessageContaining("control characters");
        UUID nobody = UUID.randomUUID();
        assertThatThrownBy(() -> ledger.topUp(nobody, 5, "invoice-" + UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no account " + nobody);
        assertThat(count("SELECT count(*) FROM credit_ledger WHERE account_id = ?", nobody)).isZero();
        assertThat(count("SELECT count(*) FROM credit_ledger WHERE account_id = ?", a)).as("only the valid top-up").isOne();
    }

    @Test
    void aTopUpIsPartOfTheBalanceButNotUsage() {
        UUID a = newAccount(Plan.BASIC);
        CreditStatement untouched = ledger.statement(a);
        assertThat(untouched.balance()).isZero();
        assertThat(untouched.month().grant()).as("looking grants nothing").isEqualTo(new CreditStatement.Flow(0, 0));

        ledger.topUp(a, 100, "invoice-" + UUID.randomUUID());
        String refunded = "job-" + UUID.randomUUID();
        ledger.charge(a, "chords", null, refunded);
        ledger.charge(a, "bpm", null, "job-" + UUID.randomUUID());
        ledger.refund(refunded);
        ledger.topUp(a, 25, "invoice-" + UUID.randomUUID());

        CreditUsage usage = ledger.usage(a);
        assertThat(usage.charged()).as("bpm's 2; chords was refunded").isEqualTo(2);
        assertThat(usage.toppedUp()).isEqualTo(125);
        assertThat(usage.byEndpoint()).containsOnlyKeys("bpm", "chords");

        CreditStatement s = ledger.statement(a);
        assertThat(s.plan()).isEqualTo(Plan.BASIC);
        assertThat(s.balance()).isEqualTo(10 + 125 - 2).isEqualTo(ledger.balance(a));
        assertThat(s.month().period()).isEqualTo("2026-11");
        assertThat(s.month().grant()).isEqualTo(new CreditStatement.Flow(1, 10));
        assertThat(s.month().topUps()).isEqualTo(new CreditStatement.Flow(2, 125));
        assertThat(s.month().charges()).isEqualTo(new CreditStatement.Flow(2, 6));
        assertThat(s.month().refunds()).isEqualTo(new CreditStatement.Flow(1, 4));
        assertThatThrownBy(() -> ledger.statement(UUID.randomUUID())).hasMessageContaining("no account");
    }

    /** What the pipeline's catalog scan and Kafka ingestion do with a refused file: check the balance again later. */
    @Test
    void aRegistrationRefusedForCreditsGoesThroughOnceAnOperatorTopsUp() {
        UUID a = newAccount(Plan.BASIC);
        CreditLedger pipeline = new CreditLedger(db, policy, Tariff.standard(), clock);
        CreditLedger operator = new CreditLedger(db, policy, Tariff.standard(), clock);
        String registration = Tariff.registrationEndpoint(List.of("bpm", "beatgrid", "key", "loudness-ebur128", "chords"));
        long cost = pipeline.tariff().cost(registration, null);
        String job = "job-" + UUID.randomUUID();
        assertThatThrownBy(() -> pipeline.charge(a, registration, null, job)).isInstanceOf(OutOfCreditsException.class);
        assertThat(pipeline.balance(a)).as("the retry's check: 10 does not cover 14").isLessThan(cost);

        assertThat(operator.topUp(a, 4, "invoice-" + UUID.randomUUID()).balanceAfter()).isEqualTo(cost);
        assertThat(pipeline.balance(a)).as("the retry's check sees the top-up").isGreaterThanOrEqualTo(cost);
        assertThat(pipeline.charge(a, registration, null, job).amount()).isEqualTo(cost);
        assertThat(pipeline.balance(a)).isZero();
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
