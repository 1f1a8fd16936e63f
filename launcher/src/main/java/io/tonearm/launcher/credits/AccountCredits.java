package io.tonearm.launcher.credits;

import io.tonearm.api.accounts.Account;
import io.tonearm.api.accounts.AccountService;
import io.tonearm.launcher.StackDatabase;
import io.tonearm.launcher.StackDatabaseOptions;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.CreditPolicy;

/**
 * The account a {@code tonearm credits} command names and its credit ledger, on the stack's database. The account is
 * found by name as {@code tonearm keys create} and {@code tonearm up --account} find it; it is never created here.
 */
final class AccountCredits implements AutoCloseable {

    private final StackDatabase database;
    private final Account account;
    private final CreditLedger ledger;

    private AccountCredits(StackDatabase database, Account account) {
        this.database = database;
        this.account = account;
        // The policy of this machine's TONEARM_CREDITS_*; top-ups and statements grant no allowance, so it decides nothing.
        this.ledger = new CreditLedger(database.database(), CreditPolicy.configured());
    }

    /** @throws IllegalArgumentException when no account has that name (the database is closed again) */
    static AccountCredits open(StackDatabaseOptions options, String accountName) {
        StackDatabase database = options.open();
        try {
            Account account = new AccountService(database.database()).named(accountName).orElseThrow(() ->
                    new IllegalArgumentException("no account named '" + accountName.strip() + "' in " + database.description()
                            + " (accounts are made by tonearm keys create or tonearm up --account)"));
            return new AccountCredits(database, account);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    Account account() {
        return account;
    }

    CreditLedger ledger() {
        return ledger;
    }

    String where() {
        return database.description();
    }

    @Override
    public void close() {
        database.close();
    }
}
