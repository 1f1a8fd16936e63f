package io.tonearm.api.processing;

import io.tonearm.api.ApiHarness;
import io.tonearm.api.PipelineStandIn;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.events.AnalysisRequested;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Processing requests pay with their job (402 creates nothing), replays are free, failed and cancelled jobs refund. */
class ProcessingCreditsTest {

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static PipelineStandIn pipeline;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dataDir, c -> c.withCredits(CreditPolicy.defaults().withMonthlyAllowance(Plan.BASIC, 5)));
        pipeline = new PipelineStandIn(api.db);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void chargedWithTheJob402WhenOutRefundedWhenItFailsOrIsCancelled() throws Exception {
        String key = api.newKey(Plan.BASIC);
        HttpResponse<String> first = pitch(key, 1, "c-1");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String jobId = json(first).get("job_id").asText();
        assertThat(balance(jobId)).as("pitch costs 2 of 5").isEqualTo(3);
        assertThat(pitch(key, 1, "c-1").statusCode()).isEqualTo(202);
        assertThat(balance(jobId)).as("an idempotent replay is not charged").isEqualTo(3);

        HttpResponse<String> second = pitch(key, 2, null);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(balance(jobId)).isEqualTo(1);
        long jobs = api.count("SELECT count(*) FROM jobs");
        long requests = api.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1'");
        HttpResponse<String> broke = pitch(key, 3, null);
        assertThat(broke.statusCode()).as(broke.body()).isEqualTo(402);
        assertThat(json(broke).at("/error/code").asText()).isEqualTo("insufficient_credits");
        assertThat(api.count("SELECT count(*) FROM jobs")).as("no job without payment").isEqualTo(jobs);
        assertThat(api.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1'")).isEqualTo(requests);

        AnalysisRequested r = pipeline.newRequests().stream().filter(q -> q.requestId().toString().equals(jobId))
                .findFirst().orElseThrow();
        pipeline.fail(r, "undecodable recording (CORRUPT): test");
        api.server.jobRefunds().drain(); // the server's own worker may have been first: either refunds, once
        assertThat(balance(jobId)).as("the failed job's 2 credits are back").isEqualTo(3);
        assertThat(api.server.jobRefunds().drain()).as("refunded once").isZero();
        assertThat(api.count("SELECT count(*) FROM credit_ledger WHERE kind = 'refund' AND charge_key = '" + jobId + "'"))
                .isEqualTo(1);

        String queued = json(second).get("job_id").asText();
        assertThat(api.send(api.request("/v1/jobs/" + queued + "/cancel", key).POST(HttpRequest.BodyPublishers.noBody())
                .build()).statusCode()).isEqualTo(200);
        api.server.jobRefunds().drain();
        assertThat(balance(jobId)).as("a cancelled job is refunded").isEqualTo(5);
        assertThat(api.count("SELECT count(*) FROM credit_ledger WHERE kind = 'refund'")).isEqualTo(2);
    }

    private static HttpResponse<String> pitch(String key, int seed, String idempotencyKey) {
        HttpRequest.Builder b = api.request("/v1/pitch", key).header("Content-Type", "audio/wav")
                .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(700 + seed, 0.5)));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return api.send(b.build());
    }

    private static long balance(String jobId) {
        return api.count("SELECT credits FROM accounts WHERE id = (SELECT account_id FROM jobs WHERE id = '" + jobId + "')");
    }
}
