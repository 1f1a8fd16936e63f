package io.tonearm.api.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiConfig;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-key limit lives in PostgreSQL, so two replicas over one database share it. */
class RateLimitTest {

    /** An hour-long window: a test never straddles a window boundary by accident. */
    private static final UnaryOperator<ApiConfig> THREE_PER_HOUR =
            c -> c.withLimits(Plan.BASIC, new PlanLimits(3, Duration.ofHours(1), ApiConfig.GIB));

    @Test
    void theLimitHoldsAcrossReplicasAndAnswers429WithRetryAfter(@TempDir Path a, @TempDir Path b) throws Exception {
        try (ApiHarness replicaA = new ApiHarness(a, THREE_PER_HOUR)) {
            ApiHarness replicaB = new ApiHarness(replicaA.db, b, THREE_PER_HOUR);
            try {
                String key = replicaA.newKey(Plan.BASIC);
                String otherKey = replicaA.newKey(Plan.BASIC);

                HttpResponse<String> first = replicaA.get("/v1/assets", key);
                HttpResponse<String> second = replicaB.get("/v1/assets", key);
                HttpResponse<String> third = replicaA.get("/v1/account", key);
                HttpResponse<String> fourth = replicaB.get("/v1/assets", key);

                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
                assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("2");
                assertThat(second.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
                assertThat(third.statusCode()).isEqualTo(200);
                assertThat(third.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");

                assertThat(fourth.statusCode()).isEqualTo(429);
                JsonNode error = json(fourth).get("error");
                assertThat(error.get("code").asText()).isEqualTo("rate_limited");
                long retryAfter = Long.parseLong(fourth.headers().firstValue("Retry-After").orElseThrow());
                assertThat(retryAfter).isBetween(1L, 3600L);
                assertThat(fourth.headers().firstValue("X-RateLimit-Reset")).hasValue(Long.toString(retryAfter));
                assertThat(fourth.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");

                assertThat(replicaB.get("/v1/assets", otherKey).statusCode()).as("limits are per key").isEqualTo(200);
                assertThat(replicaA.get("/health", null).statusCode()).as("operational endpoints are not limited")
                        .isEqualTo(200);
            } finally {
                replicaB.server.close();
            }
        }
    }
}
