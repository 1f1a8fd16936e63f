package io.tonearm.api.processing;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.HttpStatus;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.registry.UnknownModelException;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.Asset;
import io.tonearm.api.assets.AssetService;
import io.tonearm.api.credits.UnknownDuration;
import io.tonearm.sinks.assets.AnalysisRequests;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.api.jobs.JobService;
import io.tonearm.api.jobs.JobStore;
import io.tonearm.sinks.outbox.Outbox;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AnalysisRequested.AnalyzerRequest;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.JobInsert;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.ResultRepository;
import io.tonearm.sinks.postgres.ResultStatus;
import io.tonearm.sinks.postgres.StoredJob;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a processing request as a job: resolves the analyzers to their exact result identities (name, version,
 * parameter hash, as the pipeline will), then in ONE transaction writes the job row and its
 * {@link AnalysisRequested} outbox event, so the request reaches Kafka exactly when the job exists.
 * <p>
 * When every requested result is already in {@code analysis_results} (computed for any account owning the same
 * bytes), the job is born {@code succeeded} and no event is written: the answer comes at once, without the pipeline.
 * Otherwise the caller waits up to the short wait for the job to finish, woken by its NOTIFY.
 * <p>
 * Credits: the endpoint's price ({@link io.tonearm.sinks.credits.Tariff}, by the job kind) is charged in the same
 * transaction under the job id (402 when the balance does not cover it: no job, no event); an idempotent replay
 * is not charged again. A price per started minute needs the asset's duration: an asset no probe has settled yet is
 * probed first, and one whose recording states no length is refused (422 {@code unknown_duration}: no job, no
 * charge), as the SSE stream refuses it.
 * <p>
 * {@code Idempotency-Key}: one job per (account, key). The job keeps a fingerprint of the request (endpoint and
 * asset, i.e. the same bytes); the same key with the same request returns that job, with another request 409.
 */
public final class ProcessingService {

    /** The job as it stood when the wait ended (with its result body once succeeded), and the asset it analyzes. */
    public record Outcome(JobService.Finished finished, Asset asset) {
    }

    /** One requested analyzer resolved to the identity of its result, with the parameters the client set. */
    private record Resolved(String name, String analyzer, int version, String paramsHash, Map<String, Object> params) {
    }

    /**
     * What a request adds to the endpoint's defaults.
     *
     * @param params  analyzer parameters for the first analyzer ({@link Process#parameters()}), validated by it
     * @param options what the job's result repeats to the client (e.g. the separation prompt and its stems); null: none
     */
    public record Request(Map<String, Object> params, Map<String, Object> options) {
        public static final Request DEFAULT = new Request(Map.of(), null);
    }

    private final Database db;
    private final JobStore store;
    private final JobService jobs;
    private final ResultRepository results;
    private final Outbox outbox;
    private final AnalyzerRegistry registry;
    private final CreditLedger credits;
    private final AssetService assets;

    public ProcessingService(Database db, JobStore store, JobService jobs, ResultRepository results, Outbox outbox,
                             AnalyzerRegistry registry, CreditLedger credits, AssetService assets) {
        this.db = db;
        this.store = store;
        this.jobs = jobs;
        this.results = results;
        this.outbox = outbox;
        this.registry = registry;
        this.credits = credits;
        this.assets = assets;
    }

    public Outcome submit(Caller caller, Process process, Asset asset, String idempotencyKey, Duration wait)
            throws InterruptedException {
        return submit(caller, process, asset, idempotencyKey, wait, Request.DEFAULT);
    }

    public Outcome submit(Caller caller, Process process, Asset asset, String idempotencyKey, Duration wait,
                          Request request) throws InterruptedException {
        asset = measured(caller, process, asset);
        if (asset.status() == Asset.Status.FAILED) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, asset.errorCode() == null ? "undecodable_audio" : asset.errorCode(),
                    "the asset cannot be analyzed: " + asset.errorMessage());
        }
        List<Resolved> wanted = resolve(process, request.params());
        String requestHash = sha256(process.kind() + "\n" + asset.id()
                + (request.params().isEmpty() && request.options() == null ? ""
                : "\n" + json(new java.util.TreeMap<>(request.params())) + "\n" + json(request.options())));
        UUID jobId = existing(caller, idempotencyKey, requestHash).orElse(null);
        if (jobId == null) {
            jobId = create(caller, process, asset, wanted, idempotencyKey, requestHash, request.options());
        }
        return new Outcome(jobs.awaitResult(caller, jobId, asset.sha256(), wait), asset);
    }

    /**
     * The asset with the duration a per-minute price needs: probed now when no probe has settled it; 422
     * {@code unknown_duration} when it is a decodable recording that states no length. Other prices need none.
     */
    private Asset measured(Caller caller, Process process, Asset asset) {
        if (asset.durationSeconds() != null || !pricedPerMinute(process)) {
            return asset;
        }
        Asset probed = assets.probed(caller, asset);
        if (probed.durationSeconds() == null && probed.status() != Asset.Status.FAILED) {
            throw UnknownDuration.refusal(List.of(process.kind()));
        }
        return probed;
    }

    /** Whether {@code process} costs per started minute of audio (the tariff's entry for its job kind). */
    public boolean pricedPerMinute(Process process) {
        return credits.tariff().price(process.kind()).perMinute();
    }

    private UUID create(Caller caller, Process process, Asset asset, List<Resolved> wanted, String idempotencyKey,
                        String requestHash, Map<String, Object> options) {
        // A long job's files may have been reaped since its result was computed: the pipeline checks and recomputes.
        Optional<String> cached = process.async() ? Optional.empty() : cachedResult(asset.sha256(), wanted);
        UUID jobId = UUID.randomUUID();
        List<AnalyzerRequest> requests = wanted.stream()
                .map(r -> new AnalyzerRequest(r.name(), Integer.toString(r.version()), r.params(),
                        process.optional().contains(r.name()))).toList();
        JobInsert.NewJob job = new JobInsert.NewJob(jobId, caller.accountId(), asset.id(), process.kind(),
                cached.isPresent() ? JobStatus.SUCCEEDED : JobStatus.QUEUED, asset.sha256(), json(requests),
                cached.orElse(null), idempotencyKey, requestHash);
        boolean inserted = db.inTransaction(c -> {
            if (!JobInsert.insert(c, job)) {
                return false;
            }
            if (options != null) {
                store.setOptions(c, jobId, json(options));
            }
            // Paid with the job, atomically (402 rolls the job back); a stored result is a request served, so it
            // costs the same. The job id is the charge key: a failed or cancelled job is refunded (JobRefunds).
            credits.charge(c, caller.accountId(), process.kind(), asset.durationSeconds(), jobId.toString());
            if (cached.isEmpty()) {
                AnalysisRequests.append(outbox, c, jobId, caller.accountId(), asset.id(), asset.sha256(), requests);
            }
            return true;
        });
        if (inserted) {
            return jobId;
        }
        // A concurrent request with the same key won the insert.
        return existing(caller, idempotencyKey, requestHash).orElseThrow();
    }

    private Optional<UUID> existing(Caller caller, String idempotencyKey, String requestHash) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw ApiException.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters");
        }
        return store.byIdempotencyKey(caller.accountId(), idempotencyKey).map(k -> {
            if (!requestHash.equals(k.requestHash())) {
                throw ApiException.conflict("idempotency_key_reused",
                        "this Idempotency-Key was used for a different request (job " + k.id() + ")");
            }
            return k.id();
        });
    }

    /** The job's result map when every wanted result is stored and succeeded; same shape the pipeline writes. */
    private Optional<String> cachedResult(String sha256, List<Resolved> wanted) {
        Map<String, Object> refs = new LinkedHashMap<>();
        for (Resolved r : wanted) {
            boolean ok = results.find(sha256, r.analyzer(), r.version(), r.paramsHash())
                    .filter(s -> s.status() == ResultStatus.SUCCEEDED).isPresent();
            if (!ok) {
                return Optional.empty();
            }
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("analyzer", r.analyzer());
            ref.put("version", r.version());
            ref.put("params_hash", r.paramsHash());
            ref.put("status", "succeeded");
            ref.put("error", null);
            refs.put(r.name(), ref);
        }
        return Optional.of(json(Map.of("sha256", sha256, "results", refs)));
    }

    /** The type of the first analyzer's parameter {@code name}, as its spec declares it (how a request field must be typed). */
    public ParamSpec.Type parameterType(Process process, String name) {
        Selection s = registry.select(process.analyzers().get(0), Map.of());
        return s.analyzer().spec().params().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(process.path() + " maps a field to the unknown parameter " + name))
                .type();
    }

    /** 501 before any input is read when an analyzer behind {@code process} is not in this build's registry. */
    public void requireInstalled(Process process) {
        resolve(process, Map.of());
    }

    /** Each analyzer with its parameters (the request's go to the first), validated as the pipeline will. */
    private List<Resolved> resolve(Process process, Map<String, Object> params) {
        List<Resolved> out = new ArrayList<>();
        for (String name : process.analyzers()) {
            Map<String, Object> own = out.isEmpty() ? params : Map.of();
            Selection s;
            try {
                s = registry.select(name, own);
            } catch (UnknownModelException e) {
                throw new ApiException(HttpStatus.NOT_IMPLEMENTED, "model_unavailable",
                        "the analyzer '" + name + "' behind " + process.path() + " is not installed on this server");
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_parameter", e.getMessage());
            }
            out.add(new Resolved(name, s.analyzer().spec().name(), s.analyzer().spec().version(), s.params().hash(), own));
        }
        return out;
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
