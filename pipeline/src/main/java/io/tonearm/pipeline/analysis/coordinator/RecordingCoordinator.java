package io.tonearm.pipeline.analysis.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.registry.ReferenceResolver;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.events.AnalysisCompleted.ResultRef;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;
import io.tonearm.pipeline.analysis.RecordingAnalysis;
import io.tonearm.pipeline.analysis.output.Completion;
import io.tonearm.pipeline.analysis.output.JobEnding;
import io.tonearm.pipeline.analysis.output.ResultRows;
import io.tonearm.pipeline.analysis.output.SearchUpdate;
import io.tonearm.pipeline.analysis.source.Inbound;
import io.tonearm.sinks.assets.ProbeOutcome;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.JobTransition;
import io.tonearm.sinks.postgres.ResultKey;
import io.tonearm.sinks.postgres.PostgresWrite;
import io.tonearm.sinks.postgres.ResultRow;
import io.tonearm.sinks.postgres.ResultStatus;
import io.tonearm.sinks.postgres.StoredResult;
import io.tonearm.sinks.postgres.fingerprint.RecordingLandmarks;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The heart of the analysis job, keyed by recording (sha256). For each recording it remembers which results
 * exist ({@code analyzer@version#paramsHash} and whether they succeeded) and which assets reference it.
 *
 * <ul>
 *   <li>A request whose results all exist is answered from state at once: no decode, no analysis.</li>
 *   <li>Otherwise the missing light analyzers run together on one decode ({@link RecordingAnalysis}) inside this
 *       function (with the fingerprint for the landmark index, once per recording: {@link FingerprintIndexing}), so
 *       recordings analyze in parallel across the operator's subtasks. The decode has a time budget. Missing heavy
 *       analyzers (stems, mastering, transcription) go out as {@link #HEAVY_WORK} to the asynchronous
 *       {@link HeavyRunner}, and the requests that need them end in {@link HeavyCompletion}.</li>
 *   <li>A recording that cannot be decoded fails its jobs with the reason and is remembered as undecodable
 *       (except for timeouts and I/O errors, which may pass on a later try); one failing analyzer fails its job
 *       but keeps the other analyzers' results, unless the request marked it optional: then the job succeeds with
 *       the others' results and the failure in that analyzer's result reference.</li>
 *   <li>Bad input never escapes {@link #processElement}: every record is handled inside a catch-all that fails
 *       the request instead of the task, so no restart loop. Only {@link Error}s (out of memory, a killed task)
 *       fail the task, which then restarts from the last checkpoint.</li>
 * </ul>
 *
 * <p>Outputs: result rows and job transitions on the main output, in order (one PostgreSQL sink applies them in
 * that order, so a job is never read as finished before its results), {@link #SEARCH_UPDATES} (one document per
 * asset), {@link #COMPLETIONS} and {@link #HEAVY_WORK}. State is one versioned blob per recording
 * ({@link RecordingStateSerializer}) with a TTL refreshed on every access.
 */
public final class RecordingCoordinator extends KeyedProcessFunction<String, Inbound, PostgresWrite> {

    public static final OutputTag<SearchUpdate> SEARCH_UPDATES =
            new OutputTag<>("search-updates", TypeInformation.of(SearchUpdate.class));
    public static final OutputTag<Completion> COMPLETIONS =
            new OutputTag<>("completions", TypeInformation.of(Completion.class));
    /** Heavy analyses to run asynchronously ({@link HeavyRunner}), with the jobs that wait for them. */
    public static final OutputTag<HeavyWork> HEAVY_WORK =
            new OutputTag<>("heavy-work", TypeInformation.of(HeavyWork.class));

    private static final Logger LOG = LoggerFactory.getLogger(RecordingCoordinator.class);
    private static final Set<String> TRANSIENT_DECODE_ERRORS = Set.of("timeout", "io");

    private final RecordingAnalysis analysis;
    private final CatalogLookup catalog;
    private final Duration stateTtl;
    private final Duration pendingRetry;
    private final Duration pendingDeadline;
    private final GatherWindow gatherWindow;

    private transient ValueState<byte[]> state;
    private transient Counter analyses;
    private transient Counter answeredFromState;
    private transient Counter failedRequests;

    /**
     * @param stateTtl        how long a recording's state lives after its last access
     * @param pendingRetry    how often a request without a known blob location looks again
     * @param pendingDeadline when such a request gives up and fails
     * @param gatherWindow    how long a request that needs analysis waits for others of the same recording, so that
     *                        they share one decode ({@link GatherWindow#NONE}: analyze at once)
     */
    public RecordingCoordinator(RecordingAnalysis analysis, CatalogLookup catalog, Duration stateTtl,
                                Duration pendingRetry, Duration pendingDeadline, GatherWindow gatherWindow) {
        this.analysis = Objects.requireNonNull(analysis, "analysis");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.stateTtl = Objects.requireNonNull(stateTtl, "stateTtl");
        this.pendingRetry = Objects.requireNonNull(pendingRetry, "pendingRetry");
        this.pendingDeadline = Objects.requireNonNull(pendingDeadline, "pendingDeadline");
        this.gatherWindow = Objects.requireNonNull(gatherWindow, "gatherWindow");
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<byte[]> descriptor =
                new ValueStateDescriptor<>("recording", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        state = getRuntimeContext().getState(descriptor);
        analyses = getRuntimeContext().getMetricGroup().counter("recordingsAnalyzed");
        answeredFromState = getRuntimeContext().getMetricGroup().counter("requestsAnsweredFromState");
        failedRequests = getRuntimeContext().getMetricGroup().counter("requestsFailed");
    }

    @Override
    public void close() {
        catalog.close();
    }

    @Override
    public void processElement(Inbound in, Context ctx, Collector<PostgresWrite> out) throws IOException {
        RecordingState s = load();
        Emitter emit = new Emitter(ctx, out);
        long now = ctx.timerService().currentProcessingTime();
        try {
            switch (in.kind()) {
                case ASSET -> onAsset(EventCodec.decodeAssetEvent(bytes(in.json())), s, emit, ctx, now);
                case REQUEST -> onRequest(EventCodec.decodeAnalysisRequested(bytes(in.json())), s, emit, ctx, now);
            }
        } catch (TaskInterrupted e) {
            throw e;
        } catch (Exception e) {
            LOG.error("could not handle {} for {}: {}", in.kind(), in.sha256(), e.toString(), e);
            if (in.kind() == Inbound.Kind.REQUEST) failUnreadable(in, s, emit, e);
        }
        save(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PostgresWrite> out) throws IOException {
        RecordingState s = load();
        if (s.pending.isEmpty()) return;
        if (stillGathering(s, timestamp)) return; // a later request's timer ends it
        if (s.blobLocation == null) catalog.blobLocation(ctx.getCurrentKey()).ifPresent(loc -> s.blobLocation = loc);
        drainPending(s, new Emitter(ctx, out), ctx, timestamp);
        save(s);
    }

    /** When the earliest waiting request arrived ({@code none} when nothing waits). */
    private static long firstArrival(RecordingState s, long none) {
        return s.pending.stream().mapToLong(RecordingState.PendingRequest::arrivedAtMillis).min().orElse(none);
    }

    /** Requests are gathering for one decode, and one arrived within the quiet time: its own timer comes later. */
    private boolean stillGathering(RecordingState s, long now) {
        if (s.blobLocation == null) return false; // waiting for the blob, not for each other
        return gatherWindow.open(now, firstArrival(s, now)) && s.pending.stream().anyMatch(p -> p.retryAtMillis() > now);
    }

    /**
     * Handles the requests that waited (for a blob location, or for others to gather): those past the deadline
     * fail, those that need analysis run together on one decode.
     */
    private void drainPending(RecordingState s, Emitter emit, Context ctx, long now) {
        List<RecordingState.PendingRequest> waiting = new ArrayList<>(s.pending);
        s.pending.clear();
        List<Needed> batch = new ArrayList<>();
        for (RecordingState.PendingRequest p : waiting) {
            if (p.retryAtMillis() > now) ctx.timerService().deleteProcessingTimeTimer(p.retryAtMillis());
            try {
                AnalysisRequested r = EventCodec.decodeAnalysisRequested(bytes(p.json()));
                if (s.blobLocation == null && now - p.arrivedAtMillis() >= pendingDeadline.toMillis()) {
                    finish(r, s, emit, List.of(), "no blob is known for sha256 " + r.sha256()
                            + " (no asset event and no blobs row within " + pendingDeadline + ")");
                } else {
                    handleRequest(r, s, emit, ctx, now, p.arrivedAtMillis(), batch);
                }
            } catch (TaskInterrupted e) {
                throw e;
            } catch (Exception e) {
                LOG.error("could not handle a pending request for {}", ctx.getCurrentKey(), e);
            }
        }
        if (!batch.isEmpty()) analyze(batch, s, emit);
    }

    // ---- asset events

    private void onAsset(AssetEvent e, RecordingState s, Emitter emit, Context ctx, long now) {
        String assetId = e.assetId().toString();
        if (e.type() == AssetEvent.Type.DELETED) {
            RecordingState.AssetRef gone = s.assets.remove(assetId);
            emit.search(new SearchUpdate(assetId, e.accountId().toString(), e.sha256(),
                    gone == null ? e.filename() : gone.filename(), e.occurredAt(), s.durationSeconds, "{}", true));
            return;
        }
        if (e.blobLocation() != null) s.blobLocation = e.blobLocation();
        s.putAsset(assetId, new RecordingState.AssetRef(e.accountId().toString(), e.filename(), e.blobLocation(),
                e.occurredAt().toEpochMilli()));
        emit.search(searchUpdate(assetId, s.assets.get(assetId), e.sha256(), s));
        if (!s.pending.isEmpty() && s.blobLocation != null) drainPending(s, emit, ctx, now);
    }

    // ---- analysis requests

    private void onRequest(AnalysisRequested r, RecordingState s, Emitter emit, Context ctx, long now) {
        handleRequest(r, s, emit, ctx, now, now, null);
    }

    /**
     * @param batch where a request that needs analysis goes when the caller runs a batch (draining); null when it
     *              arrived just now: then it waits {@link #gatherWindow} for the recording's other requests
     */
    private void handleRequest(AnalysisRequested r, RecordingState s, Emitter emit, Context ctx, long now, long arrivedAt,
                               List<Needed> batch) {
        if (s.answered(r.requestId().toString())) {
            LOG.debug("request {} already answered; ignoring the repeat", r.requestId());
            return;
        }
        List<Requested> requested;
        try {
            requested = resolve(r);
        } catch (RuntimeException e) {
            finish(r, s, emit, List.of(), "invalid request: " + e.getMessage());
            return;
        }
        Map<String, Requested> missing = new LinkedHashMap<>();
        for (Requested q : requested) {
            if (!s.settled(q.resultKey())) missing.putIfAbsent(q.resultKey(), q);
        }
        if (!missing.isEmpty() && s.decodeFailure == null) adoptStoredResults(r.sha256(), s, missing);
        if (s.decodeFailure == null) recomputeLostOutputs(r.sha256(), s, requested, missing);
        if (missing.isEmpty()) {
            answeredFromState.inc();
            finish(r, s, emit, requested, null);
            return;
        }
        if (s.decodeFailure != null) {
            finish(r, s, emit, requested, "undecodable recording (" + s.decodeFailure.code() + "): " + s.decodeFailure.message());
            return;
        }
        if (s.blobLocation == null) catalog.blobLocation(r.sha256()).ifPresent(loc -> s.blobLocation = loc);
        if (s.blobLocation == null) {
            park(r, s, ctx, now, arrivedAt, pendingRetry);
            return;
        }
        Needed needed = new Needed(r, requested);
        if (batch != null) {
            batch.add(needed);
        } else if (!gatherWindow.gathers() || s.pending.size() >= RecordingState.MAX_PENDING_REQUESTS) {
            analyze(List.of(needed), s, emit);
        } else {
            // A client asking for bpm, key and loudness sends three requests a moment apart; analyzing each at once
            // would decode the recording three times. Waiting briefly lets them share one decode.
            park(r, s, ctx, now, arrivedAt, Duration.ofMillis(Math.max(0, gatherWindow.endsAt(now, firstArrival(s, arrivedAt)) - now)));
        }
    }

    /** A request that needs analysis, with what it asked for. */
    private record Needed(AnalysisRequested request, List<Requested> requested) {
        boolean asks(String resultKey) {
            return requested.stream().anyMatch(q -> q.resultKey().equals(resultKey));
        }
    }

    /**
     * Takes the results PostgreSQL already holds for this recording into state (its state expired or was lost, or a
     * rolled-back epoch wrote them): they are not computed again.
     */
    private void adoptStoredResults(String sha256, RecordingState s, Map<String, Requested> missing) {
        for (StoredResult stored : catalog.storedResults(sha256)) {
            String key = ResultKey.of(stored.analyzer(), stored.version(), stored.paramsHash());
            if (s.settled(key)) continue;
            boolean ok = stored.status() == ResultStatus.SUCCEEDED;
            s.results.put(key, new RecordingState.ResultMark(ok, stored.error()));
            if (ok && stored.envelopeJson() != null) {
                try {
                    s.summaries.putIfAbsent(stored.analyzer(),
                            ResultSummaries.of(Json.mapper().readTree(stored.envelopeJson()).path("results")));
                } catch (JsonProcessingException e) {
                    LOG.warn("stored envelope of {} for {} is not JSON", key, sha256);
                }
            }
            missing.remove(key);
        }
    }

    /**
     * A heavy result whose output files the blob store no longer has (its retention ended and the API's reaper
     * deleted them) is computed again: content-addressed, so the same bytes come back under the same names.
     */
    private void recomputeLostOutputs(String sha256, RecordingState s, List<Requested> requested, Map<String, Requested> missing) {
        List<Requested> present = requested.stream()
                .filter(q -> analysis.keepsOutputs(q.analyzer()) && !missing.containsKey(q.resultKey())).toList();
        if (present.isEmpty()) return;
        for (StoredResult stored : catalog.storedResults(sha256)) {
            String key = ResultKey.of(stored.analyzer(), stored.version(), stored.paramsHash());
            for (Requested q : present) {
                if (q.resultKey().equals(key) && stored.status() == ResultStatus.SUCCEEDED
                        && analysis.outputsGone(stored.envelopeJson())) {
                    LOG.info("outputs of {} for {} are no longer stored; computing them again", key, sha256);
                    s.results.remove(key);
                    missing.putIfAbsent(key, q);
                }
            }
        }
    }

    private void park(AnalysisRequested r, RecordingState s, Context ctx, long now, long arrivedAt, Duration wait) {
        if (s.pending.size() >= RecordingState.MAX_PENDING_REQUESTS) {
            throw new IllegalStateException("too many requests waiting for the blob of " + r.sha256());
        }
        long retryAt = now + wait.toMillis();
        s.pending.add(new RecordingState.PendingRequest(EventCodec.encodeToString(r), arrivedAt, retryAt));
        ctx.timerService().registerProcessingTimeTimer(retryAt);
        if (s.blobLocation == null) LOG.info("request {} waits for the location of {}", r.requestId(), r.sha256());
    }

    /**
     * Runs what the batch's requests miss: the light analyzers together on one decode, here; each heavy analyzer
     * (stems, mastering, transcription: minutes) handed to the asynchronous {@link HeavyRunner} as a
     * {@link #HEAVY_WORK}, so this operator goes on with other recordings and checkpoints complete meanwhile. A
     * request that needs nothing heavy is answered now; one that does is handed over with its light outcomes to
     * {@link HeavyCompletion}, which ends it once its heavy results are back (and this function never answers it).
     */
    private void analyze(List<Needed> batch, RecordingState s, Emitter emit) {
        for (Needed n : batch) emit.job(JobEnding.transition(n.request(), JobStatus.RUNNING, null, null));
        String sha256 = batch.get(0).request().sha256();
        Path file;
        try {
            file = BlobPaths.toPath(s.blobLocation, sha256, analysis.blobs());
        } catch (IOException | RuntimeException e) {
            // not remembered as undecodable: the store may answer on a later request
            for (Needed n : batch) finish(n.request(), s, emit, n.requested(), e.getMessage());
            return;
        }
        Map<String, Requested> missing = new LinkedHashMap<>();
        for (Needed n : batch) {
            for (Requested q : n.requested()) {
                if (!s.settled(q.resultKey())) missing.putIfAbsent(q.resultKey(), q);
            }
        }
        Map<String, Requested> heavy = new LinkedHashMap<>();
        missing.forEach((key, q) -> {
            if (analysis.keepsOutputs(q.analyzer())) heavy.put(key, q);
        });
        List<Requested> light = withFingerprint(missing.values().stream().filter(q -> !heavy.containsKey(q.resultKey())).toList(), s);
        Map<String, ResultRow> lightRows = light.isEmpty() ? Map.of() : runLight(light, file, sha256, batch, s, emit);
        if (lightRows == null) return;

        Set<Needed> handedOver = handOver(batch, heavy, lightRows, sha256, s, emit);
        for (Needed n : batch) {
            if (handedOver.contains(n)) s.markAnswered(n.request().requestId().toString());
            else finish(n.request(), s, emit, n.requested(), null);
        }
        if (!light.isEmpty()) s.assets.forEach((assetId, ref) -> emit.search(searchUpdate(assetId, ref, sha256, s)));
    }

    /**
     * Emits one {@link HeavyWork} per missing heavy result, each with the requests of the batch that wait for it
     * ({@link AwaitingJob}: their outcomes so far, {@link AwaitingJob#PENDING} for the heavy ones, and the light rows
     * just written for them); returns those requests.
     */
    private Set<Needed> handOver(List<Needed> batch, Map<String, Requested> heavy, Map<String, ResultRow> lightRows,
                                 String sha256, RecordingState s, Emitter emit) {
        Map<Needed, AwaitingJob> waiting = new LinkedHashMap<>();
        for (Needed n : batch) {
            if (heavy.keySet().stream().noneMatch(n::asks)) continue;
            List<ResultRow> rows = n.requested().stream().map(q -> lightRows.get(q.resultKey()))
                    .filter(Objects::nonNull).distinct().toList();
            waiting.put(n, AwaitingJob.of(n.request(), results(n.requested(), s, null, heavy.keySet()), rows));
        }
        for (Requested h : heavy.values()) {
            List<AwaitingJob> jobs = waiting.entrySet().stream().filter(e -> e.getKey().asks(h.resultKey()))
                    .map(Map.Entry::getValue).toList();
            emit.heavy(new HeavyWork(sha256, s.blobLocation, h.analyzer(), h.version(), h.paramsHash(),
                    ResultRows.json(h.selection().params().asMap()), AwaitingJob.listToJson(jobs)));
        }
        return waiting.keySet();
    }

    /**
     * The light analyzers on one decode of {@code file}: the rows written, by result key; null when the recording
     * cannot be decoded, which has then failed every request of the batch.
     */
    private Map<String, ResultRow> runLight(List<Requested> run, Path file, String sha256, List<Needed> batch,
                                           RecordingState s, Emitter emit) {
        // a reference recording named by sha256 (part of the result key) is handed to the analyzer as a local path
        ReferenceResolver references = new ReferenceResolver(sha -> catalog.localFile(sha, analysis.blobs()));
        List<Selection> selections = run.stream()
                .map(q -> references.resolve(new Selection(q.resultKey(), q.selection().analyzer(), q.selection().params())))
                .toList();
        analyses.inc();
        // one probe serves every asset of these bytes: any request of the batch that carries one spares the decode a probe
        AudioInfo probed = batch.stream().map(n -> n.request().probe()).filter(Objects::nonNull).findFirst()
                .map(ProbeOutcome::audioInfo).orElse(null);
        AnalysisReport report = analysis.analyze(file, sha256, probed, selections);
        if (Thread.currentThread().isInterrupted()) {
            // The task is being cancelled (a failover elsewhere): the report is an artefact of the interruption,
            // not a property of the recording. Emit nothing; the request is replayed from the last checkpoint.
            throw new TaskInterrupted("analysis of " + sha256 + " interrupted by task cancellation");
        }
        Instant now = Instant.now();
        if (report.error() != null) {
            String code = report.error().code();
            if (!TRANSIENT_DECODE_ERRORS.contains(code)) {
                s.decodeFailure = new RecordingState.Failure(code, report.error().message());
            }
            for (Needed n : batch) {
                finish(n.request(), s, emit, n.requested(), "undecodable recording (" + code + "): " + report.error().message());
            }
            return null;
        }
        Map<String, ResultRow> rows = new LinkedHashMap<>();
        s.durationSeconds = report.durationSeconds();
        for (Requested q : run) {
            Envelope envelope = report.results().get(q.resultKey());
            if (envelope != null && FingerprintIndexing.indexes(q.selection(), analysis.registry())) {
                emit.landmarks(FingerprintIndexing.landmarks(sha256, envelope));
                envelope = FingerprintIndexing.withoutLandmarks(envelope);
            }
            ResultRow row;
            if (envelope != null) {
                row = ResultRows.succeeded(sha256, q.selection(), envelope, now);
                s.results.put(q.resultKey(), new RecordingState.ResultMark(true, null));
                s.summaries.put(q.analyzer(), ResultSummaries.of(envelope.results()));
            } else {
                AnalysisReport.ErrorInfo failure = report.failures().get(q.resultKey());
                String error = failure != null ? failure.message() : "no result";
                if (failure != null && AnalysisReport.MODEL_UNAVAILABLE.equals(failure.code())) {
                    // the installation lacks a model: reported in the job, not stored as this recording's result,
                    // so that installing the model makes the next request compute it
                    s.results.put(q.resultKey(), RecordingState.ResultMark.unavailable(error));
                    continue;
                }
                row = ResultRows.failed(sha256, q.selection(), error, now);
                s.results.put(q.resultKey(), new RecordingState.ResultMark(false, error));
            }
            emit.result(row);
            rows.put(q.resultKey(), row);
        }
        return rows;
    }

    /** The missing analyzers plus the fingerprint for the index, unless this recording already has it. */
    private List<Requested> withFingerprint(List<Requested> missing, RecordingState s) {
        List<Requested> run = new ArrayList<>(missing);
        FingerprintIndexing.selection(analysis.registry())
                .map(sel -> new Requested(FingerprintIndexing.ANALYZER, sel))
                .filter(q -> !s.settled(q.resultKey()) && run.stream().noneMatch(m -> m.resultKey().equals(q.resultKey())))
                .ifPresent(run::add);
        return run;
    }

    /**
     * Ends a request: a terminal job transition and a completion event. Succeeded when there is no
     * {@code failure}, every required result succeeded and at least one did; an optional analyzer's failure (see
     * {@link AnalysisRequested#succeedsDespite}) is only in its result reference.
     */
    private void finish(AnalysisRequested r, RecordingState s, Emitter emit, List<Requested> requested, String failure) {
        JobEnding end = JobEnding.of(r, results(requested, s, failure, Set.of()), failure);
        if (end.failed()) failedRequests.inc();
        emit.job(end.job());
        emit.completion(end.completion());
        s.markAnswered(r.requestId().toString());
    }

    /**
     * What each requested name resolved to and how it went, from state; {@code pending} keys are heavy results still
     * to come ({@link AwaitingJob#PENDING}), a result without a mark failed with {@code failure}.
     */
    private static Map<String, ResultRef> results(List<Requested> requested, RecordingState s, String failure, Set<String> pending) {
        Map<String, ResultRef> refs = new LinkedHashMap<>();
        for (Requested q : requested) {
            RecordingState.ResultMark mark = s.results.get(q.resultKey());
            String status = pending.contains(q.resultKey()) ? AwaitingJob.PENDING
                    : mark == null ? "failed" : mark.succeeded() ? "succeeded" : "failed";
            String error = mark == null ? (pending.contains(q.resultKey()) ? null : failure) : mark.error();
            refs.put(q.name(), new ResultRef(q.analyzer(), q.version(), q.paramsHash(), status, error));
        }
        return refs;
    }

    /** A request record that could not even be handled: fail its job if it names one. */
    private void failUnreadable(Inbound in, RecordingState s, Emitter emit, Exception cause) {
        try {
            AnalysisRequested r = EventCodec.decodeAnalysisRequested(bytes(in.json()));
            if (!s.answered(r.requestId().toString())) {
                finish(r, s, emit, List.of(), "internal error: " + cause.getMessage());
            }
        } catch (RuntimeException ignored) {
            // not even a request: nothing to report to
        }
    }

    private List<Requested> resolve(AnalysisRequested r) {
        if (r.analyzers().isEmpty()) throw new IllegalArgumentException("no analyzers requested");
        List<Requested> out = new ArrayList<>();
        for (AnalysisRequested.AnalyzerRequest a : r.analyzers()) {
            String selector = a.version() == null || a.version().isBlank() ? a.name() : a.name() + ":" + a.version();
            Selection sel = analysis.registry().select(selector, a.params());
            out.add(new Requested(a.name(), sel));
        }
        return out;
    }

    private static SearchUpdate searchUpdate(String assetId, RecordingState.AssetRef ref, String sha256, RecordingState s) {
        return new SearchUpdate(assetId, ref.accountId(), sha256, ref.filename(), Instant.ofEpochMilli(ref.createdAtMillis()),
                s.durationSeconds, ResultSummaries.combine(s.summaries), false);
    }

    private RecordingState load() throws IOException {
        byte[] b = state.value();
        return b == null ? new RecordingState()
                : SimpleVersionedSerialization.readVersionAndDeSerialize(RecordingStateSerializer.INSTANCE, b);
    }

    private void save(RecordingState s) throws IOException {
        if (s.isEmpty()) state.clear();
        else state.update(SimpleVersionedSerialization.writeVersionAndSerialize(RecordingStateSerializer.INSTANCE, s));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The task thread was interrupted (cancellation): must fail the task, never the request. */
    static final class TaskInterrupted extends RuntimeException {
        TaskInterrupted(String message) {
            super(message);
        }
    }

    /** One requested analyzer: the name the client used and the analyzer, version and parameters it resolved to. */
    private record Requested(String name, Selection selection) {
        String analyzer() {
            return selection.analyzer().spec().name();
        }

        int version() {
            return selection.analyzer().spec().version();
        }

        String paramsHash() {
            Params p = selection.params();
            return p.hash();
        }

        String resultKey() {
            return ResultKey.of(analyzer(), version(), paramsHash());
        }
    }

    /** Where each kind of output goes. */
    private static final class Emitter {
        private final KeyedProcessFunction<String, Inbound, PostgresWrite>.Context ctx;
        private final Collector<PostgresWrite> out;

        Emitter(KeyedProcessFunction<String, Inbound, PostgresWrite>.Context ctx, Collector<PostgresWrite> out) {
            this.ctx = ctx;
            this.out = out;
        }

        void result(ResultRow row) {
            out.collect(PostgresWrite.of(row));
        }

        void job(JobTransition t) {
            out.collect(PostgresWrite.of(t));
        }

        void landmarks(RecordingLandmarks l) {
            out.collect(PostgresWrite.of(l));
        }

        void search(SearchUpdate u) {
            ctx.output(SEARCH_UPDATES, u);
        }

        void completion(Completion c) {
            ctx.output(COMPLETIONS, c);
        }

        void heavy(HeavyWork w) {
            ctx.output(HEAVY_WORK, w);
        }
    }
}
