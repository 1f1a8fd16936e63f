package io.tonearm.launcher.credits;

import io.tonearm.launcher.StackDatabaseOptions;
import io.tonearm.sinks.credits.CreditStatement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code tonearm credits show --account NAME}: the account's plan and balance, and what moved the balance this month
 * (the plan's grant, top-ups, charges, refunds), on stdout. Reading changes nothing: not even this month's allowance
 * is granted (the account's next request does that).
 */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show an account's plan, balance and this month's grant, top-ups, charges and refunds.")
public final class CreditsShowCommand implements Callable<Integer> {

    @Option(names = "--account", required = true, paramLabel = "NAME", description = "The account's name.")
    String account;

    @Mixin
    StackDatabaseOptions database = new StackDatabaseOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (account.isBlank()) {
            err.println("tonearm credits show: --account must not be blank");
            return 2;
        }
        try (AccountCredits credits = AccountCredits.open(database, account)) {
            CreditStatement s = credits.ledger().statement(credits.account().id());
            err.printf("Via %s.%n", credits.where());
            print(out, credits.account().name(), s);
        } catch (RuntimeException e) {
            err.println("tonearm credits show: " + e.getMessage());
            return 1;
        }
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, String name, CreditStatement s) {
        CreditStatement.Month m = s.month();
        out.printf("account  %s (%s)%n", name, s.accountId());
        out.printf("plan     %s%n", s.plan().id());
        out.printf("balance  %d credits%n", s.balance());
        out.printf("%-16s %7s %10s%n", m.period() + " (UTC)", "entries", "credits");
        if (m.grant().count() == 0) {
            out.printf("  %-14s %7s %10s  (not yet: the account's first request this month grants it)%n",
                    "monthly grant", "-", "-");
        } else {
            line(out, "monthly grant", m.grant(), '+');
        }
        line(out, "top-ups", m.topUps(), '+');
        line(out, "charges", m.charges(), '-');
        line(out, "refunds", m.refunds(), '+');
    }

    private static void line(PrintWriter out, String what, CreditStatement.Flow flow, char sign) {
        out.printf("  %-14s %7d %10s%n", what, flow.count(), flow.credits() == 0 ? "0" : sign + Long.toString(flow.credits()));
    }
}
