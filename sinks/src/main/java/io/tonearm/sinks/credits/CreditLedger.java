package io.tonearm.sinks.credits;

import io.tonearm.sinks.accounts.AccountPlans;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.credits.LedgerRepository.Appended;
import io.tonearm.sinks.credits.LedgerRepository.Entry;
import io.tonearm.sinks.credits.LedgerRepository.Kind;
import io.tonearm.sinks.postgres.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credits of every account, in PostgreSQL so that all API replicas and the pipeline's registrations (catalog scan,
 * Kafka ingestion) share them: the balance is
 * {@code accounts.credits}, and the append-only {@code credit_ledger} records each grant, charge and refund in
 * the same transaction as the balance change it explains.
 *
 * <p>Guarantees. A charge is idempotent by its charge key (globally unique; use the job id): charging a key
 * again, also concurrently or after a crash and retry, takes nothing and returns the first charge. A refund
 * gives a charge back at most once. The balance never goes negative: a charge it cannot cover changes nothing
 * and throws {@link OutOfCreditsException} (402 in the API). Charging inside the caller's transaction ({@link #charge(
 * Connection, UUID, String, Double, String)}) makes "job created" and "job paid" one atomic fact. The monthly
 * allowance of the account's plan ({@link CreditPolicy}) is granted once per account and calendar month (UTC),
 * lazily, by the first charge or balance read of that month; concurrent first requests grant it once.
 *
 * <p>Operators add credits with {@link #topUp}: a grant recorded under the caller's key, applied at most once per
 * key, so a retried or repeated command adds nothing twice.
 */
public final class CreditLedger {

    /** The most one top-up may add: 100 million credits (the standard set of about 7 million recordings). */
    public static final long MAX_TOP_UP = 100_000_000L;
    /** The longest top-up key. */
    public static final int MAX_TOP_UP_KEY = 128;

    private final Database db;
    private final CreditPolicy policy;
    private final Tariff tariff;
    private final Clock clock;
    private final LedgerRepository repository = new LedgerRepository();
    /** Accounts whose grant for the period is known to be committed: saves a lookup per charge. */
    private final Map<UUID, String> grantedPeriod = new ConcurrentHashMap<>();

    public CreditLedger(Database db, CreditPolicy policy) {
        this(db, policy, Tariff.standard(), Clock.systemUTC());
    }

    public CreditLedger(Database db, CreditPolicy policy, Tariff tariff, Clock clock) {
        this.db = Objects.requireNonNull(db);
        this.policy = Objects.requireNonNull(policy);
        this.tariff = Objects.requireNonNull(tariff);
        this.clock = Objects.requireNonNull(clock);
    }

    public Tariff tariff() {
        return tariff;
    }

    /**
     * Charges one request of {@code endpoint} (a {@link Tariff} name such as {@code bpm} or
     * {@code separate/2stem}) in the caller's transaction {@code tx}; if that transaction rolls back, so does the
     * charge.
     *
     * @param durationSeconds the audio's duration, required for per-minute endpoints, else ignored (may be null)
     * @param chargeKey       globally unique and stable across retries of one request: the job id
     * @return the charge; {@link Charge#replayed()} when this key was charged before (nothing taken now)
     * @throws OutOfCreditsException    when the balance does not cover the cost; nothing was changed
     * @throws IllegalArgumentException for an unknown endpoint, a missing duration, an unknown account, or a
     *                                  charge key already used by another account
     */
    public Charge charge(Connection tx, UUID accountId, String endpoint, Double durationSeconds, String chargeKey)
            throws SQLException {
        Objects.requireNonNull(chargeKey, "chargeKey");
        ensureMonthlyGrant(tx, accountId);
        var prior = repository.find(tx, Kind.CHARGE, chargeKey);
        if (prior.isPresent()) {
            return replayed(prior.get(), accountId);
        }
        long cost = tariff.cost(endpoint, durationSeconds);
        if (cost == 0) {
            return new Charge(accountId, chargeKey, endpoint, 0,
                    repository.balance(tx, accountId).orElseThrow(() -> noAccount(accountId)), false);
        }
        Appended a = repository.append(tx, accountId, Kind.CHARGE, chargeKey, endpoint, -cost, period());
        return switch (a.outcome()) {
            case APPLIED -> new Charge(accountId, chargeKey, endpoint, cost, a.balance(), false);
            case INSUFFICIENT -> throw new OutOfCreditsException(endpoint, cost, a.balance());
            case NO_ACCOUNT -> throw noAccount(accountId);
            case DUPLICATE -> replayed(repository.find(tx, Kind.CHARGE, chargeKey).orElseThrow(), accountId);
        };
    }

    /** As {@link #charge(Connection, UUID, String, Double, String)} in a transaction of its own. */
    public Charge charge(UUID accountId, String endpoint, Double durationSeconds, String chargeKey) {
        return db.inTransaction(c -> charge(c, accountId, endpoint, durationSeconds, chargeKey));
    }

    /** One of several charges made together. */
    public record Item(String endpoint, Double durationSeconds, String chargeKey) {
    }

    /**
     * Charges several items in one transaction of its own, all or none (the SSE stream charges each model it
     * runs, so each can be refunded alone).
     *
     * @param label names the request in the 402 message, which states the total cost
     * @throws OutOfCreditsException when the balance does not cover them all; nothing was charged
     */
    public List<Charge> chargeAll(UUID accountId, String label, List<Item> items) {
        return db.inTransaction(c -> {
            List<Charge> charges = new ArrayList<>();
            try {
                for (Item i : items) {
                    charges.add(charge(c, accountId, i.endpoint(), i.durationSeconds(), i.chargeKey()));
                }
            } catch (OutOfCreditsException e) {
                long total = 0;
                for (Item i : items) {
                    total += tariff.cost(i.endpoint(), i.durationSeconds());
                }
                long taken = charges.stream().filter(ch -> !ch.replayed()).mapToLong(Charge::amount).sum();
                throw new OutOfCreditsException(label, total, e.balance() + taken);
            }
            return charges;
        });
    }

    /**
     * Gives back the charge of {@code chargeKey} (when its job failed), in the caller's transaction.
     *
     * @return true when this call refunded it; false when there is no such charge or it was refunded already
     */
    public boolean refund(Connection tx, String chargeKey) throws SQLException {
        var charge = repository.find(tx, Kind.CHARGE, chargeKey);
        if (charge.isEmpty() || repository.find(tx, Kind.REFUND, chargeKey).isPresent()) {
            return false;
        }
        Entry e = charge.get();
        // The refund counts in the charge's month, so that month's usage nets out.
        return repository.append(tx, e.accountId(), Kind.REFUND, chargeKey, e.endpoint(), -e.amount(), e.period())
                .outcome() == LedgerRepository.Outcome.APPLIED;
    }

    /** As {@link #refund(Connection, String)} in a transaction of its own. */
    public boolean refund(String chargeKey) {
        return db.inTransaction(c -> refund(c, chargeKey));
    }

    /**
     * Adds {@code credits} to the account's balance once per {@code key}: the same key again (also concurrently, or
     * from another machine) adds nothing and returns the first top-up, {@link TopUp#replayed()}. The month's
     * allowance is not granted by a top-up (an operator's machine may not share the API's allowance settings);
     * the account's next request grants it as usual.
     *
     * @throws IllegalArgumentException for an amount or key {@link #checkTopUp} refuses, an unknown account, or a
     *                                  key already used for another account or another amount
     */
    public TopUp topUp(UUID accountId, long credits, String key) {
        checkTopUp(credits, key);
        String chargeKey = LedgerRepository.TOP_UP_PREFIX + key.strip();
        return db.inTransaction(c -> {
            var prior = repository.find(c, Kind.GRANT, chargeKey);
            if (prior.isPresent()) {
                return replayedTopUp(prior.get(), accountId, credits, key.strip());
            }
            Appended a = repository.append(c, accountId, Kind.GRANT, chargeKey, null, credits, period());
            return switch (a.outcome()) {
                case APPLIED -> {
                    Entry e = repository.find(c, Kind.GRANT, chargeKey).orElseThrow();
                    yield new TopUp(accountId, key.strip(), credits, e.balanceAfter(), e.createdAt(), false);
                }
                case DUPLICATE -> replayedTopUp(repository.find(c, Kind.GRANT, chargeKey).orElseThrow(), accountId,
                        credits, key.strip());
                case NO_ACCOUNT -> throw noAccount(accountId);
                case INSUFFICIENT -> throw new IllegalStateException("a positive top-up cannot overdraw");
            };
        });
    }

    /**
     * Refuses what {@link #topUp} would: an amount outside 1 … {@link #MAX_TOP_UP}, a key that is blank, longer than
     * {@link #MAX_TOP_UP_KEY} characters or holds control characters. Callers may check before opening a database.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkTopUp(long credits, String key) {
        if (credits <= 0) {
            throw new IllegalArgumentException("a top-up adds a positive number of credits, got " + credits);
        }
        if (credits > MAX_TOP_UP) {
            throw new IllegalArgumentException("a top-up adds at most " + MAX_TOP_UP + " credits, got " + credits
                    + "; for more, top up several times (each with its own key) or raise the plan's monthly allowance");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a top-up needs a key (what makes a repeated top-up add nothing twice)");
        }
        if (key.strip().length() > MAX_TOP_UP_KEY) {
            throw new IllegalArgumentException("a top-up key is at most " + MAX_TOP_UP_KEY + " characters, got "
                    + key.strip().length());
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a top-up key must not contain control characters");
        }
    }

    /**
     * The account's balance and what moved it this month, read without granting the month's allowance (an operator's
     * look changes nothing).
     */
    public CreditStatement statement(UUID accountId) {
        return db.inTransaction(c -> {
            Plan plan = AccountPlans.find(c, accountId).orElseThrow(() -> noAccount(accountId));
            long balance = repository.balance(c, accountId).orElseThrow(() -> noAccount(accountId));
            return new CreditStatement(accountId, plan, balance, repository.month(c, accountId, period()));
        });
    }

    /** The account's balance, after this month's allowance. */
    public long balance(UUID accountId) {
        return db.inTransaction(c -> {
            ensureMonthlyGrant(c, accountId);
            return repository.balance(c, accountId).orElseThrow(() -> noAccount(accountId));
        });
    }

    /** This month's charges (net of refunds) by endpoint, and the month's top-ups beside them. */
    public CreditUsage usage(UUID accountId) {
        String period = period();
        return db.withConnection(c -> {
            Plan plan = AccountPlans.find(c, accountId).orElseThrow(() -> noAccount(accountId));
            var byEndpoint = repository.usage(c, accountId, period);
            long charged = byEndpoint.values().stream().mapToLong(CreditUsage.EndpointUsage::credits).sum();
            long toppedUp = repository.month(c, accountId, period).topUps().credits();
            return new CreditUsage(period, policy.monthlyAllowance(plan), charged, toppedUp, byEndpoint);
        });
    }

    /**
     * Grants this month's allowance unless done. Inside the caller's transaction: the grant commits with it. Only a
     * grant seen committed (found, or lost to a concurrent one) is remembered, never one this transaction may still
     * roll back.
     */
    private void ensureMonthlyGrant(Connection c, UUID accountId) throws SQLException {
        String period = period();
        if (period.equals(grantedPeriod.get(accountId))) {
            return;
        }
        String key = "grant:" + accountId + ":" + period;
        if (repository.find(c, Kind.GRANT, key).isPresent()) {
            grantedPeriod.put(accountId, period);
            return;
        }
        var plan = AccountPlans.find(c, accountId);
        if (plan.isEmpty()) {
            return; // the caller reports the unknown account
        }
        Appended a = repository.append(c, accountId, Kind.GRANT, key, null, policy.monthlyAllowance(plan.get()), period);
        if (a.outcome() == LedgerRepository.Outcome.DUPLICATE) {
            grantedPeriod.put(accountId, period);
        }
    }

    private Charge replayed(Entry prior, UUID accountId) {
        if (!prior.accountId().equals(accountId)) {
            throw new IllegalArgumentException("charge key " + prior.chargeKey() + " was used by another account");
        }
        return new Charge(accountId, prior.chargeKey(), prior.endpoint(), -prior.amount(), prior.balanceAfter(), true);
    }

    /** The first top-up under this key, if it is the same request; else the key is being misused. */
    private static TopUp replayedTopUp(Entry prior, UUID accountId, long credits, String key) {
        if (!prior.accountId().equals(accountId)) {
            throw new IllegalArgumentException("top-up key '" + key + "' was used for another account; use a new key");
        }
        if (prior.amount() != credits) {
            throw new IllegalArgumentException("top-up key '" + key + "' already added " + prior.amount()
                    + " credits, not " + credits + "; a key names one top-up, use a new key for another");
        }
        return new TopUp(accountId, key, credits, prior.balanceAfter(), prior.createdAt(), true);
    }

    private String period() {
        return YearMonth.now(clock).toString();
    }

    private static IllegalArgumentException noAccount(UUID accountId) {
        return new IllegalArgumentException("no account " + accountId);
    }
}
