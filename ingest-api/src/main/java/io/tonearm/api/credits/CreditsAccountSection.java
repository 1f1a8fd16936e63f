package io.tonearm.api.credits;

import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.api.accounts.AccountSection;
import io.tonearm.api.accounts.Caller;

/**
 * {@code credit_usage} in {@code GET /v1/account}: this month's charges by endpoint, and its operators' top-ups beside
 * them ({@code topped_up}: part of the balance, not usage). Reading it grants the month's allowance first, so the
 * account's {@code credits} (the balance) shown beside it includes it.
 */
public final class CreditsAccountSection implements AccountSection {

    private final CreditLedger ledger;

    public CreditsAccountSection(CreditLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String field() {
        return "credit_usage";
    }

    @Override
    public Object view(Caller caller) {
        ledger.balance(caller.accountId());
        return ledger.usage(caller.accountId());
    }
}
