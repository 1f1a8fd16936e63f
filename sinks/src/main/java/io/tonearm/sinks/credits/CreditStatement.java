package io.tonearm.sinks.credits;

import io.tonearm.sinks.accounts.Plan;

import java.util.UUID;

/**
 * One account's credits as an operator reads them ({@code tonearm credits show}): the balance, and what moved it in
 * the current month.
 */
public record CreditStatement(UUID accountId, Plan plan, long balance, Month month) {

    /**
     * What moved one account's balance in one calendar month (UTC).
     *
     * @param period  {@code yyyy-MM}
     * @param grant   the plan's monthly allowance (count 0 until the account's first request of the month grants it)
     * @param topUps  credits operators added ({@link CreditLedger#topUp})
     * @param charges requests paid (a refunded one still counts)
     * @param refunds charges given back
     */
    public record Month(String period, Flow grant, Flow topUps, Flow charges, Flow refunds) {
    }

    /** {@code count} ledger rows that moved {@code credits} (a magnitude: charges take it, the others add it). */
    public record Flow(long count, long credits) {
    }
}
