package io.tonearm.api.processing;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.Asset;
import io.tonearm.api.assets.AssetService;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.api.http.Routes;
import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.StoredJob;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processing endpoints ({@link Processes}): body {@code {"asset_id"}}, {@code {"file_id"}} or raw audio.
 * <ul>
 *   <li>200: the result's fields at the top level ({@code tempo}, {@code key}, {@code integrated_lufs}, ...) with
 *       {@code job_id}, {@code asset_id}, {@code asset_expires_at}, {@code model_name}, {@code model_version}
 *       (see {@link io.tonearm.api.jobs.JobResults} for jobs of several analyzers);</li>
 *   <li>202 {@code {job_id, status}} when not finished within the wait: {@code Prefer: wait=N} (seconds, capped
 *       at the configured wait, default 10 s) or {@code Prefer: respond-async} (no wait);</li>
 *   <li>422 when the audio cannot be analyzed (the job failed), and for a job priced per started minute on a
 *       recording that states no length ({@code unknown_duration}, nothing charged, no job: {@link ProcessingService});
 *       501 when an analyzer is not installed on this server.</li>
 * </ul>
 */
public final class ProcessingRoutes implements Routes.Feature {

    private final ProcessingService processing;
    private final ProcessingInputs inputs;
    private final Duration maxWait;

    public ProcessingRoutes(ProcessingService processing, AssetService assets, Database db, Duration maxWait) {
        this.processing = processing;
        this.inputs = new ProcessingInputs(assets, db);
        this.maxWait = maxWait;
    }

    /** The short wait: {@code tonearm.processing.wait-seconds} or {@code TONEARM_PROCESSING_WAIT_SECONDS}, default 10. */
    public static Duration configuredWait() {
        String v = System.getProperty("tonearm.processing.wait-seconds", System.getenv("TONEARM_PROCESSING_WAIT_SECONDS"));
        return Duration.ofMillis(Math.round(1000 * (v == null || v.isBlank() ? 10.0 : Double.parseDouble(v))));
    }

    @Override
    public void routes(Routes routes) {
        for (Process p : Processes.ANALYSES) {
            routes.post(p.path(), p.summary() + "; body {asset_id} | {file_id} | raw audio; 200 result or 202 job",
                    ctx -> handle(ctx, p));
        }
        for (Process p : Processes.JOBS) {
            routes.post(p.path(), p.summary() + "; body {asset_id} | {file_id} | raw audio; always 202 {job_id}, "
                    + "files in the job's outputs", ctx -> handleJob(ctx, p))
                    .documented(ProcessingApiDocs.job(processing.pricedPerMinute(p), ""));
        }
        routes.post("/v1/queue/audio/separate", "Stems by prompt: {\"input\": {\"asset_id\"|\"file_id\", \"prompt\"}}, e.g. "
                + "\"isolate the lead vocal\" -> 202 {job_id}; the job's result names the stems that answer the prompt; "
                + "422 for a prompt it does not understand", this::queueSeparation)
                .documented(ProcessingApiDocs.job(Processes.JOBS.stream().filter(p -> p.kind().startsWith("separate/"))
                        .anyMatch(processing::pricedPerMinute), "unknown_prompt when it does not understand the prompt"));
    }

    private void handle(Context ctx, Process process) throws Exception {
        Caller caller = Caller.of(ctx);
        processing.requireInstalled(process);
        Asset asset = inputs.resolve(ctx, caller);
        ProcessingService.Outcome outcome = processing.submit(caller, process, asset, ctx.header("Idempotency-Key"),
                preferredWait(ctx, maxWait));
        StoredJob job = outcome.finished().job();
        if (job.status() == JobStatus.FAILED) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "analysis_failed",
                    "job " + job.id() + " failed: " + job.error());
        }
        Optional<Map<String, Object>> result = outcome.finished().result();
        if (result.isEmpty()) {
            ctx.status(HttpStatus.ACCEPTED).header("Location", "/v1/jobs/" + job.id())
                    .json(Map.of("job_id", job.id(), "status", job.status().sql()));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.id());
        body.putAll(result.get());
        body.put("asset_id", asset.id());
        body.put("asset_expires_at", asset.expiresAt());
        ctx.json(body);
    }

    /** A long job: 202 at once with the job (also for an Idempotency-Key replay of a finished one). */
    private void handleJob(Context ctx, Process process) throws Exception {
        Caller caller = Caller.of(ctx);
        processing.requireInstalled(process);
        JsonNode json = ctx.isJson() ? Json.mapper().readTree(ctx.body()) : null;
        Map<String, Object> params = json != null ? parameters(process, json) : queryParameters(ctx, process);
        params.putAll(assetParameters(caller, process, field -> json != null ? ProcessingInputs.text(json, field) : ctx.queryParam(field)));
        Asset asset = inputs.resolve(ctx, caller);
        accepted(ctx, asset, processing.submit(caller, process, asset, ctx.header("Idempotency-Key"), Duration.ZERO,
                new ProcessingService.Request(params, null)));
    }

    /** {@code {"input": {"asset_id"|"file_id", "prompt"}}}: the prompt picks the separation and the stems. */
    private void queueSeparation(Context ctx) throws Exception {
        Caller caller = Caller.of(ctx);
        if (!ctx.isJson()) {
            throw ApiException.unsupportedMediaType("send JSON: {\"input\": {\"asset_id\" or \"file_id\", \"prompt\"}}");
        }
        JsonNode input = Json.mapper().readTree(ctx.body()).path("input");
        if (!input.isObject()) {
            throw ApiException.badRequest("invalid_body", "the body is {\"input\": {\"asset_id\" or \"file_id\", \"prompt\"}}");
        }
        JsonNode prompt = input.get("prompt");
        if (prompt != null && !prompt.isNull() && !prompt.isTextual()) {
            throw ApiException.badRequest("invalid_prompt", "input.prompt must be a string");
        }
        SeparationPrompt stems = SeparationPrompt.parse(prompt == null || prompt.isNull() ? null : prompt.asText());
        Process process = Processes.job(stems.kind());
        processing.requireInstalled(process);
        Asset asset = inputs.resolve(input, caller);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("prompt", stems.prompt());
        options.put("prompt_stems", stems.stems());
        options.put("prompt_outputs", stems.stems().stream().map(s -> s + ".wav").toList());
        accepted(ctx, asset, processing.submit(caller, process, asset, ctx.header("Idempotency-Key"), Duration.ZERO,
                new ProcessingService.Request(Map.of(), options)));
    }

    private static void accepted(Context ctx, Asset asset, ProcessingService.Outcome outcome) {
        StoredJob job = outcome.finished().job();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.id());
        body.put("status", job.status().sql());
        body.put("kind", job.kind());
        body.put("asset_id", asset.id());
        ctx.status(HttpStatus.ACCEPTED).header("Location", "/v1/jobs/" + job.id()).json(body);
    }

    /** The process's request fields from a JSON body, as analyzer parameters, each of the JSON type its parameter declares. */
    private Map<String, Object> parameters(Process process, JsonNode body) {
        Map<String, Object> out = new LinkedHashMap<>();
        process.parameters().forEach((field, param) -> {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) {
                return;
            }
            ParamSpec.Type type = processing.parameterType(process, param);
            boolean fits = switch (type) {
                case NUMBER, INTEGER -> v.isNumber();
                case STRING -> v.isTextual();
                case BOOLEAN -> v.isBoolean();
            };
            if (!fits) {
                throw ApiException.badRequest("invalid_parameter", field + " must be " + typeName(type));
            }
            out.put(param, v.isNumber() ? (Object) v.doubleValue() : v.isBoolean() ? (Object) v.booleanValue() : v.asText());
        });
        return out;
    }

    /** Fields naming another of the caller's assets, as the analyzer's sha256 parameter (404 when not the caller's). */
    private Map<String, Object> assetParameters(Caller caller, Process process, java.util.function.Function<String, String> field) {
        Map<String, Object> out = new LinkedHashMap<>();
        process.assetParameters().forEach((name, param) -> {
            String id = field.apply(name);
            if (id != null) {
                out.put(param, inputs.referencedSha256(caller, name, id));
            }
        });
        return out;
    }

    /** With raw audio as the body, the same fields come as query parameters ({@code ?target_lufs=-16}, {@code ?method=onnx}). */
    private Map<String, Object> queryParameters(Context ctx, Process process) {
        Map<String, Object> out = new LinkedHashMap<>();
        process.parameters().forEach((field, param) -> {
            String v = ctx.queryParam(field);
            if (v == null) {
                return;
            }
            ParamSpec.Type type = processing.parameterType(process, param);
            switch (type) {
                case NUMBER, INTEGER -> {
                    try {
                        out.put(param, Double.parseDouble(v));
                    } catch (NumberFormatException e) {
                        throw ApiException.badRequest("invalid_parameter", field + " must be " + typeName(type));
                    }
                }
                case BOOLEAN -> {
                    if (!v.equals("true") && !v.equals("false")) {
                        throw ApiException.badRequest("invalid_parameter", field + " must be " + typeName(type));
                    }
                    out.put(param, Boolean.parseBoolean(v));
                }
                case STRING -> out.put(param, v);
            }
        });
        return out;
    }

    private static String typeName(ParamSpec.Type type) {
        return switch (type) {
            case NUMBER, INTEGER -> "a number";
            case STRING -> "a string";
            case BOOLEAN -> "true or false";
        };
    }

    /** {@code Prefer: respond-async} → no wait; {@code Prefer: wait=N} → N seconds, at most the configured wait. */
    public static Duration preferredWait(Context ctx, Duration maxWait) {
        String prefer = ctx.header("Prefer");
        if (prefer == null) {
            return maxWait;
        }
        Duration wait = maxWait;
        for (String token : List.of(prefer.split(","))) {
            String t = token.strip().toLowerCase(java.util.Locale.ROOT);
            if (t.equals("respond-async")) {
                wait = Duration.ZERO;
            } else if (t.startsWith("wait=")) {
                try {
                    Duration asked = Duration.ofMillis(Math.round(1000 * Double.parseDouble(t.substring(5))));
                    wait = asked.isNegative() ? Duration.ZERO : asked.compareTo(maxWait) < 0 ? asked : maxWait;
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("invalid_prefer", "Prefer: wait takes seconds, e.g. wait=5");
                }
            }
        }
        return wait;
    }
}
