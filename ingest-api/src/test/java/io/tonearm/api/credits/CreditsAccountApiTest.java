package io.tonearm.api.credits;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.sinks.credits.CreditPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.UUID;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** An operator's top-up as {@code GET /v1/account} shows it: in the balance, beside the month's usage, not in it. */
class CreditsAccountApiTest {

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static final CreditPolicy POLICY = CreditPolicy.defaults().withMonthlyAllowance(Plan.BASIC, 5);

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dataDir, c -> c.withCredits(POLICY));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void aTopUpIsInTheBalanceAndBesideTheUsageNotInIt() {
        String key = api.newKey(Plan.BASIC);
        UUID account = UUID.fromString(account(key).get("account_id").asText());
        // The operator's command runs elsewhere (tonearm credits add): its own ledger on the same database.
        CreditLedger operator = new CreditLedger(api.db, POLICY);
        String topUpKey = "invoice-" + UUID.randomUUID();
        operator.topUp(account, 500, topUpKey);
        operator.topUp(account, 500, topUpKey); // a replay adds nothing

        assertThat(api.send(api.request("/v1/pitch", key).header("Content-Type", "audio/wav")
                .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(1, 0.5)))
                .build()).statusCode()).isEqualTo(202);

        JsonNode view = account(key);
        assertThat(view.get("credits").asLong()).as("allowance 5 + top-up 500 - pitch 2").isEqualTo(503);
        JsonNode usage = view.get("credit_usage");
        assertThat(usage.get("monthly_allowance").asLong()).isEqualTo(5);
        assertThat(usage.get("topped_up").asLong()).isEqualTo(500);
        assertThat(usage.get("charged").asLong()).as("a top-up is not usage").isEqualTo(2);
        assertThat(usage.get("by_endpoint").fieldNames()).toIterable().containsExactly("pitch");

        String other = api.newKey(Plan.BASIC);
        assertThat(account(other).get("credits").asLong()).as("another account's balance is its own").isEqualTo(5);
        assertThat(account(other).get("credit_usage").get("topped_up").asLong()).isZero();
    }

    private static JsonNode account(String key) {
        var r = api.get("/v1/account", key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }
}
