package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Requests analyses of an uploaded asset through the processing endpoints ({@code POST /v1/<endpoint>} with
 * {@code Prefer: respond-async}) and reads jobs back ({@code GET /v1/jobs/{id}}). Each request carries an
 * {@code Idempotency-Key} made of the file's SHA-256 and the endpoint, so a rerun after an interruption gets the
 * same job back instead of creating (and paying for) another.
 */
final class Analyses {

    /** A job as far as we know it: {@code status} queued/running/succeeded/failed/cancelled. */
    record Job(String jobId, String status, JsonNode result, String error) {
        boolean terminal() {
            return switch (status) {
                case "succeeded", "failed", "cancelled" -> true;
                default -> false;
            };
        }
    }

    /** The account's credits do not cover another job (402): no use asking for more. */
    static final class OutOfCredits extends Exception {
        OutOfCredits(String message) {
            super(message);
        }
    }

    private final ApiClient api;

    Analyses(ApiClient api) {
        this.api = api;
    }

    static String idempotencyKey(String sha256, String endpoint) {
        return "ingest-" + sha256.toLowerCase(java.util.Locale.ROOT) + "-" + endpoint;
    }

    /**
     * Asks {@code endpoint} for the asset's analysis. The answer is a queued job (202), or a finished one when the
     * result was stored already (200) or this key's job had failed (422).
     */
    Job request(String endpoint, String assetId, String sha256)
            throws ApiClient.CallFailed, OutOfCredits, InterruptedException {
        String body = Json.mapper().createObjectNode().put("asset_id", assetId).toString();
        HttpResponse<String> response = api.send(() -> api.request("v1/" + endpoint)
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .header("Idempotency-Key", idempotencyKey(sha256, endpoint))
                .timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), () -> { });
        int code = response.statusCode();
        String message = ApiClient.errorMessage(response.body());
        if (code == 402) {
            throw new OutOfCredits(message);
        }
        if (code == 422) {
            // "job <id> failed: <error>"
            String jobId = message.replaceFirst("(?s)^[^:]*: job (\\S+) failed: .*$", "$1");
            String error = message.replaceFirst("(?s)^[^:]*: job \\S+ failed: ", "");
            return new Job(jobId.equals(message) ? null : jobId, "failed", null, error);
        }
        if (code != 200 && code != 202) {
            throw new ApiClient.CallFailed(code + " " + message);
        }
        JsonNode json = read(response.body());
        String jobId = json.path("job_id").asText();
        return code == 200 ? new Job(jobId, "succeeded", resultFields(json), null)
                : new Job(jobId, json.path("status").asText("queued"), null, null);
    }

    /** {@code GET /v1/jobs/{id}}. */
    Job get(String jobId) throws ApiClient.CallFailed, InterruptedException {
        HttpResponse<String> response = api.send(() -> api.request("v1/jobs/" + jobId)
                .timeout(Duration.ofSeconds(30)).GET().build(), () -> { });
        if (response.statusCode() != 200) {
            throw new ApiClient.CallFailed(response.statusCode() + " " + ApiClient.errorMessage(response.body()));
        }
        JsonNode json = read(response.body());
        JsonNode result = json.path("result");
        return new Job(jobId, json.path("status").asText(), result.isObject() ? resultFields(result) : null,
                json.path("error").isTextual() ? json.path("error").asText() : null);
    }

    /** The analysis' own fields, without the envelope the endpoints add around them. */
    private static JsonNode resultFields(JsonNode answer) {
        var fields = answer.deepCopy();
        for (String envelope : new String[]{"job_id", "asset_id", "asset_expires_at"}) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) fields).remove(envelope);
        }
        return fields;
    }

    private static JsonNode read(String body) throws ApiClient.CallFailed {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new ApiClient.CallFailed("unreadable answer: " + e.getMessage());
        }
    }

    /** A short "model: error" list for a summary line. */
    static String describe(Map<String, String> errors) {
        StringBuilder b = new StringBuilder();
        errors.forEach((model, error) -> b.append(b.length() == 0 ? "" : "; ").append(model).append(": ").append(error));
        return b.toString();
    }
}
