package io.tonearm.api.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

class SystemRoutesTest {

    @Test
    void healthMetricsRequestIdsAndUnknownRoutes(@TempDir Path dir) throws Exception {
        try (ApiHarness api = new ApiHarness(dir, c -> c)) {
            String key = api.newKey(Plan.PRO);
            HttpResponse<String> health = api.get("/health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode checks = json(health).get("checks");
            assertThat(checks.get("postgres").asText()).isEqualTo("up");
            assertThat(checks.get("blob_store").asText()).isEqualTo("up");

            HttpResponse<String> traced = api.send(api.request("/v1/assets", key).header("X-Request-Id", "trace-42").GET().build());
            assertThat(traced.headers().firstValue("X-Request-Id")).hasValue("trace-42");
            HttpResponse<String> hostile = api.send(api.request("/v1/assets", key).header("X-Request-Id", "not sane: " + "x".repeat(100)).GET().build());
            assertThat(hostile.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");

            HttpResponse<String> unknown = api.get("/v1/nothing-here", key);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(json(unknown).get("error").get("code").asText()).isEqualTo("not_found");

            String metrics = api.get("/metrics", null).body();
            assertThat(metrics).contains("# TYPE tonearm_http_requests_total counter")
                    .contains("tonearm_http_requests_total{method=\"GET\",route=\"/v1/assets\",status=\"200\"}")
                    .contains("tonearm_http_request_duration_seconds_bucket{")
                    .contains("tonearm_outbox_unpublished 0.0");

            JsonNode openApi = json(api.get("/openapi.json", null));
            assertThat(openApi.get("openapi").asText()).isEqualTo("3.0.3");
            assertThat(openApi.get("paths").get("/v1/assets/{id}").get("delete").get("summary").asText()).contains("409");
            assertThat(openApi.get("paths").get("/v1/assets/upload").get("post").has("security")).isTrue();
            assertThat(openApi.get("paths").get("/health").get("get").has("security")).isFalse();
            HttpResponse<String> docs = api.get("/docs", null);
            assertThat(docs.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(docs.body()).contains("/v1/assets/upload");
        }
    }
}
