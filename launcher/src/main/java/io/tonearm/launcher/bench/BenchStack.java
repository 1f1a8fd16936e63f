package io.tonearm.launcher.bench;

import io.tonearm.api.ApiConfig;
import io.tonearm.api.accounts.AccountService;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import io.tonearm.launcher.up.Stack;
import io.tonearm.launcher.up.StackConfig;
import io.tonearm.launcher.up.UpCommand;
import io.tonearm.sinks.postgres.Database;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The stack {@code tonearm up} runs, started for a bench in a throw-away data directory on free ports, with the
 * plan's request limit lifted (a bench measures the API, not its rate limiter's refusals) and credits plenty.
 */
final class BenchStack {
    private BenchStack() {
    }

    static Stack start(Path dataDir, StackConfig config, PrintStream out) throws Exception {
        Path log = config.dataDir().resolve("logs").resolve("tonearm.log");
        Files.createDirectories(log.getParent());
        UpCommand.logToFile(log);
        out.println("starting the stack (PostgreSQL, Kafka, the API" + (config.pipeline() ? ", the analysis job" : "")
                + (config.search() ? ", Elasticsearch" : "") + ") in " + dataDir + " ...");
        long t0 = System.nanoTime();
        Stack stack = Stack.start(config, Stack.Listener.NONE, api -> api
                .withLimits(Plan.PRO, new PlanLimits(1_000_000_000, Duration.ofMinutes(1), 8 * ApiConfig.GIB))
                .withCredits(api.credits().withMonthlyAllowance(Plan.PRO, 1_000_000_000)));
        out.printf(Locale.ROOT, "stack up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return stack;
    }

    /** {@code n} keys of one new pro account. */
    static List<String> keys(Stack stack, int n) {
        try (Database db = Database.open(stack.jdbcUrl(), stack.dbUser(), stack.config().dbPassword(), 2)) { // Flyway needs two
            AccountService accounts = new AccountService(db);
            AccountService.CreatedAccount account = accounts.createAccount("bench", Plan.PRO);
            List<String> keys = new ArrayList<>(List.of(account.plainKey()));
            while (keys.size() < n) keys.add(accounts.createKey(account.account().id(), "bench"));
            return keys;
        }
    }
}
