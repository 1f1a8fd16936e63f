package io.tonearm.launcher.credits;

import io.tonearm.launcher.StackDatabaseOptions;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.TopUp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code tonearm credits add --account NAME --credits N [--key K]}: tops the account up by N credits, once per key: the
 * same key again adds nothing and says "already applied" (exit 0), so a command retried after a lost connection or run
 * twice from a script is safe. Without {@code --key} a fresh one is made and printed, for a retry. What happened goes
 * to stdout. Exit 2 for a bad amount or key (checked before the database is opened), 1 when the database refuses
 * (no such account, a key used for another account or amount).
 */
@Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Top an account up by N credits, once per key (the same key again adds nothing).")
public final class CreditsAddCommand implements Callable<Integer> {

    @Option(names = "--account", required = true, paramLabel = "NAME", description = "The account's name.")
    String account;

    @Option(names = "--credits", required = true, paramLabel = "N",
            description = "Credits to add: 1 to " + CreditLedger.MAX_TOP_UP + ".")
    long credits;

    @Option(names = "--key", paramLabel = "K",
            description = "Names this top-up (e.g. an invoice number): applied at most once. Default: a fresh UUID, printed.")
    String key;

    @Mixin
    StackDatabaseOptions database = new StackDatabaseOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String topUpKey = key == null ? UUID.randomUUID().toString() : key;
        try {
            if (account.isBlank()) {
                throw new IllegalArgumentException("--account must not be blank");
            }
            CreditLedger.checkTopUp(credits, topUpKey);
        } catch (IllegalArgumentException e) {
            err.println("tonearm credits add: " + e.getMessage());
            return 2;
        }
        try (AccountCredits db = AccountCredits.open(database, account)) {
            err.printf("Via %s.%n", db.where());
            String name = db.account().name();
            TopUp t = db.ledger().topUp(db.account().id(), credits, topUpKey);
            if (t.replayed()) {
                long now = db.ledger().statement(db.account().id()).balance();
                out.printf("Already applied: top-up '%s' added %d credits to '%s' at %s (balance then %d); nothing added now. "
                        + "Balance: %d credits.%n", t.key(), t.credits(), name, t.appliedAt(), t.balanceAfter(), now);
            } else {
                out.printf("Added %d credits to '%s' (%s): balance %d credits. Top-up key: %s%n",
                        t.credits(), name, t.accountId(), t.balanceAfter(), t.key());
            }
            if (key == null) {
                err.printf("To retry this top-up safely, run it again with --key %s.%n", t.key());
            }
        } catch (RuntimeException e) {
            err.println("tonearm credits add: " + e.getMessage());
            return 1;
        }
        out.flush();
        return 0;
    }
}
