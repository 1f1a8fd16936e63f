package io.tonearm.launcher.keys;

import io.tonearm.api.accounts.AccountService;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.launcher.StackDatabase;
import io.tonearm.launcher.StackDatabaseOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tonearm keys create --account NAME [--plan basic|pro]}: a new API key for the account named NAME, which is
 * created when it does not exist. The key goes to stdout (once; only its hash is stored), the rest to stderr.
 * The database is {@code --jdbc-url}, or the one of {@code --data-dir}: the running {@code tonearm up}'s
 * PostgreSQL when there is one, else the data dir's PostgreSQL started just for this.
 */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Create an account (or a new key for an existing one) and print its new API key once.")
public final class KeysCreateCommand implements Callable<Integer> {

    @Option(names = "--account", required = true, paramLabel = "NAME", description = "The account's name.")
    String account;

    @Option(names = "--plan", paramLabel = "basic|pro",
            description = "Plan of a new account (default basic); an existing account keeps its plan.")
    String plan;

    @Mixin
    StackDatabaseOptions database = new StackDatabaseOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan requested;
        try {
            requested = plan == null ? Plan.BASIC : Plan.of(plan.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("tonearm keys create: --plan must be basic or pro");
            return 2;
        }
        if (account.isBlank()) {
            err.println("tonearm keys create: --account must not be blank");
            return 2;
        }
        AccountService.CreatedAccount created;
        try (StackDatabase db = database.open()) {
            created = new AccountService(db.database()).createKeyFor(account, requested);
            err.printf("New API key for account '%s' (%s, plan %s), via %s. It is shown once:%n",
                    created.account().name(), created.account().id(), created.account().plan().id(), db.description());
            if (plan != null && created.account().plan() != requested) {
                err.printf("Note: the account exists with plan %s; --plan applies to new accounts only.%n",
                        created.account().plan().id());
            }
        } catch (RuntimeException e) {
            err.println("tonearm keys create: " + e.getMessage());
            return 1;
        }
        out.println(created.plainKey());
        out.flush();
        return 0;
    }
}
