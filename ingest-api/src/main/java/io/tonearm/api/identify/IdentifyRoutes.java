package io.tonearm.api.identify;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.Asset;
import io.tonearm.api.assets.AssetService;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Routes;
import io.tonearm.api.processing.Process;
import io.tonearm.api.processing.ProcessingInputs;
import io.tonearm.api.processing.ProcessingRoutes;
import io.tonearm.api.processing.ProcessingService;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.StoredJob;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/identify}: body {@code {"asset_id"}}, {@code {"file_id"}} or raw audio (an excerpt of at least
 * {@value #MIN_SECONDS} s). The recording is fingerprinted and indexed as a job like any processing request (an
 * asset already indexed answers at once, without the pipeline); then its landmarks are matched against the caller's
 * own catalog ({@link Identifier}). 200 {@code {matches, asset_id, asset_expires_at, model_name, model_version,
 * job_id}}, 202 {@code {job_id}} when the fingerprint is not ready within the wait (repeat the POST with the same
 * {@code Idempotency-Key} to get the matches without a second charge), 422 for too short or undecodable audio.
 */
public final class IdentifyRoutes implements Routes.Feature {

    static final double MIN_SECONDS = 5.0;
    /** Bounds fingerprinting a query in an earlier format on the request's thread (a 60-minute query takes ≈ 22 s: 165× realtime). */
    private static final Duration QUERY_BUDGET = Duration.ofSeconds(60);
    static final Process IDENTIFY = new Process("/v1/identify", "identify", List.of("fingerprint"),
            "Identify a recording or excerpt (>= 5 s) among the caller's own assets by landmark fingerprints", false, java.util.Map.of());

    private final ProcessingService processing;
    private final ProcessingInputs inputs;
    private final Identifier identifier;
    private final Duration maxWait;

    public IdentifyRoutes(ProcessingService processing, AssetService assets, Database db, BlobStore blobs, Decoder decoder,
                          Duration maxWait) {
        this.processing = processing;
        this.inputs = new ProcessingInputs(assets, db);
        this.identifier = new Identifier(db, new QueryLandmarks(blobs, decoder, QUERY_BUDGET));
        this.maxWait = maxWait;
    }

    @Override
    public void routes(Routes routes) {
        routes.post(IDENTIFY.path(), IDENTIFY.summary() + "; body {asset_id} | {file_id} | raw audio; 200 matches or 202 job",
                this::identify);
    }

    private void identify(Context ctx) throws Exception {
        Caller caller = Caller.of(ctx);
        processing.requireInstalled(IDENTIFY);
        Asset asset = inputs.resolve(ctx, caller);
        if (asset.durationSeconds() != null && asset.durationSeconds() < MIN_SECONDS) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "excerpt_too_short", String.format(
                    "identify needs at least %.0f s of audio; this asset is %.2f s long", MIN_SECONDS, asset.durationSeconds()));
        }
        ProcessingService.Outcome outcome = processing.submit(caller, IDENTIFY, asset, ctx.header("Idempotency-Key"),
                ProcessingRoutes.preferredWait(ctx, maxWait));
        StoredJob job = outcome.finished().job();
        if (job.status() == JobStatus.FAILED) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "analysis_failed", "job " + job.id() + " failed: " + job.error());
        }
        if (job.status() != JobStatus.SUCCEEDED) {
            ctx.status(HttpStatus.ACCEPTED).header("Location", "/v1/jobs/" + job.id())
                    .json(Map.of("job_id", job.id(), "status", job.status().sql()));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.id());
        body.put("matches", identifier.matches(caller, asset));
        body.put("asset_id", asset.id());
        body.put("asset_expires_at", asset.expiresAt());
        body.put("model_name", "fingerprint");
        body.put("model_version", Identifier.MODEL_VERSION);
        ctx.json(body);
    }
}
