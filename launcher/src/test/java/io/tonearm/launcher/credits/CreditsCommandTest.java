package io.tonearm.launcher.credits;

import io.tonearm.api.accounts.AccountService;
import io.tonearm.launcher.Tonearm;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tonearm credits show|add} against a real PostgreSQL ({@code --jdbc-url}, the shared server): top-ups applied
 * once per key, replays, refusals with their exit codes. The data-dir and running-stack paths are the ones
 * {@code tonearm keys} uses ({@code StackDatabase}), exercised end to end in {@code StackEndToEndTest}.
 */
class CreditsCommandTest {

    static Database db;
    static String jdbcUrl;
    static UUID labelOps;

    @BeforeAll
    static void database() {
        PostgresServer pg = LocalStack.shared().postgres();
        jdbcUrl = pg.createDatabase("cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        db = Database.open(jdbcUrl, PostgresServer.SUPERUSER, null, 2);
        AccountService accounts = new AccountService(db);
        labelOps = accounts.createKeyFor("label-ops", Plan.PRO).account().id();
        accounts.createKeyFor("label-ops", Plan.BASIC); // a second key for the same (oldest) account
        accounts.createAccount("label-ops", Plan.BASIC); // a younger namesake: names are not unique
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void addTopsUpOncePerKeyAndShowExplainsTheBalance() {
        Run show = credits("show", "--account", "label-ops");
        assertThat(show.exit).as(show.err).isZero();
        assertThat(show.out).contains("label-ops (" + labelOps + ")", "plan     pro", "balance  0 credits", "not yet");
        assertThat(show.err).contains(jdbcUrl);

        Run add = credits("add", "--account", "label-ops", "--credits", "500", "--key", "invoice-2026-11");
        assertThat(add.exit).as(add.err).isZero();
        assertThat(add.out).contains("Added 500 credits to 'label-ops' (" + labelOps + "): balance 500 credits",
                "invoice-2026-11");
        Run again = credits("add", "--account", "label-ops", "--credits", "500", "--key", "invoice-2026-11");
        assertThat(again.exit).as(again.err).isZero();
        assertThat(again.out).contains("Already applied", "nothing added now", "Balance: 500 credits");
        assertThat(balance(labelOps)).isEqualTo(500);

        Run generated = credits("add", "--account", "label-ops", "--credits", "25");
        assertThat(generated.exit).as(generated.err).isZero();
        Matcher m = Pattern.compile("--key (\\S+)\\.").matcher(generated.err);
        assertThat(m.find()).as(generated.err).isTrue();
        assertThat(credits("add", "--account", "label-ops", "--credits", "25", "--key", m.group(1)).out)
                .as("the printed key replays it").contains("Already applied");
        assertThat(balance(labelOps)).isEqualTo(525);

        // The account's first request of the month grants the plan's allowance; then one charge and its refund.
        CreditLedger api = new CreditLedger(db, CreditPolicy.defaults());
        api.charge(labelOps, "chords", null, "job-1");
        api.charge(labelOps, "bpm", null, "job-2");
        api.refund("job-1");
        Run after = credits("show", "--account", "label-ops");
        assertThat(after.exit).isZero();
        assertThat(after.out).containsPattern("balance  20523 credits")
                .containsPattern("monthly grant +1 +\\+20000")
                .containsPattern("top-ups +2 +\\+525")
                .containsPattern("charges +2 +-6")
                .containsPattern("refunds +1 +\\+4");
    }

    @Test
    void badAmountsAndKeysExit2BeforeTheDatabaseIsOpened() {
        long rows = ledgerRows();
        for (String[] bad : List.of(new String[]{"--credits", "0"}, new String[]{"--credits", "-5"},
                new String[]{"--credits", "100000001"}, new String[]{"--credits", "lots"},
                new String[]{"--credits", "99999999999999999999"}, new String[]{"--credits", "5", "--key", " "},
                new String[]{"--credits", "5", "--key", "k".repeat(129)}, new String[]{"--key", "no-amount"})) {
            List<String> args = new ArrayList<>(List.of("add", "--account", "label-ops"));
            args.addAll(List.of(bad));
            Run r = credits(args.toArray(String[]::new));
            assertThat(r.exit).as(String.join(" ", bad) + ": " + r.err).isEqualTo(2);
            assertThat(r.err).as(String.join(" ", bad)).isNotBlank();
        }
        assertThat(credits("add", "--account", "label-ops", "--credits", "-5").err).contains("positive number of credits");
        assertThat(credits("add", "--account", "label-ops", "--credits", "100000001").err).contains("at most 100000000");
        assertThat(credits("add", "--account", " ", "--credits", "5").exit).isEqualTo(2);
        assertThat(credits("show", "--account", " ").exit).isEqualTo(2);
        assertThat(ledgerRows()).as("nothing written").isEqualTo(rows);
    }

    @Test
    void anUnknownAccountOrAKeyUsedForAnotherTopUpExits1() {
        Run nobody = credits("add", "--account", "no-such-label", "--credits", "5");
        assertThat(nobody.exit).isEqualTo(1);
        assertThat(nobody.err).contains("no account named 'no-such-label'", "tonearm keys create");
        assertThat(credits("show", "--account", "no-such-label").exit).isEqualTo(1);

        UUID other = new AccountService(db).createKeyFor("other-label", Plan.BASIC).account().id();
        String key = "invoice-" + UUID.randomUUID();
        assertThat(credits("add", "--account", "other-label", "--credits", "40", "--key", key).exit).isZero();
        Run otherAmount = credits("add", "--account", "other-label", "--credits", "41", "--key", key);
        assertThat(otherAmount.exit).isEqualTo(1);
        assertThat(otherAmount.err).contains("already added 40 credits, not 41");
        Run otherAccount = credits("add", "--account", "label-ops", "--credits", "40", "--key", key);
        assertThat(otherAccount.exit).isEqualTo(1);
        assertThat(otherAccount.err).contains("used for another account");
        assertThat(balance(other)).isEqualTo(40);
    }

    // ---- helpers

    private record Run(int exit, String out, String err) {
    }

    private static Run credits(String... args) {
        List<String> all = new ArrayList<>(List.of("credits"));
        all.addAll(List.of(args));
        all.addAll(List.of("--jdbc-url", jdbcUrl, "--db-user", PostgresServer.SUPERUSER));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Tonearm());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static long balance(UUID account) {
        return query("SELECT credits FROM accounts WHERE id = ?", account);
    }

    private static long ledgerRows() {
        return query("SELECT count(*) FROM credit_ledger WHERE account_id = ?", labelOps);
    }

    private static long query(String sql, UUID account) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, account);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
