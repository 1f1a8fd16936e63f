package io.tonearm.pipeline.analysis.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.registry.ReferenceResolver;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.pipeline.analysis.RecordingAnalysis;
import io.tonearm.pipeline.analysis.heavy.HeavyRuns;
import io.tonearm.pipeline.analysis.output.ResultRows;
import io.tonearm.sinks.postgres.ResultRow;
import io.tonearm.sinks.postgres.ResultStatus;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs heavy analyses off the coordinator's thread, as Flink's Async I/O function ({@code AsyncDataStream.unorderedWait}
 * with a capacity of {@code threads} and a timeout a little above the heavy budget's maximum): on a bounded pool it
 * owns, one recording and one analyzer per {@link HeavyWork}, through the same {@link RecordingAnalysis} (its
 * {@link HeavyRuns} keep each run inside its own budget and its outputs in the blob store).
 *
 * <p>The works in flight are part of the async operator's checkpoint and are started again after a restore, so
 * nothing is lost and checkpoints complete while an analysis runs; a run repeated after a restore writes the same
 * content-addressed outputs and upserts the same row. Two works for the same analysis of the same recording while
 * one runs (a repeated request) share that run. A run interrupted because the task is being cancelled reports
 * nothing: its work is replayed from the checkpoint, never failed.
 */
public final class HeavyRunner extends RichAsyncFunction<HeavyWork, HeavyOutcome> {

    private static final Logger LOG = LoggerFactory.getLogger(HeavyRunner.class);
    private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() {
    };

    private final RecordingAnalysis analysis;
    private final CatalogLookup catalog;
    private final int threads;
    private transient ThreadPoolExecutor pool;
    private transient Map<String, CompletableFuture<Ran>> running;  // guards itself and the three below
    private transient Map<HeavyWork, CompletableFuture<Ran>> joined; // by identity: each work in flight, its run
    private transient Map<CompletableFuture<Ran>, Thread> runThreads; // each started run, its thread
    private transient Set<Thread> abandoned;
    private transient volatile boolean closing;

    /**
     * @param catalog where references to other recordings (a mastering reference) are located
     * @param threads heavy analyses that run at once in each subtask; also the async operator's capacity
     */
    public HeavyRunner(RecordingAnalysis analysis, CatalogLookup catalog, int threads) {
        this.analysis = Objects.requireNonNull(analysis, "analysis");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
        this.threads = threads;
    }

    /** The async operator's timeout: a run normally stops itself at its budget, with the precise reason. */
    public static Duration timeout(RecordingAnalysis analysis) {
        return analysis.longestHeavyRun().plusSeconds(30);
    }

    @Override
    public void open(OpenContext openContext) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "heavy-analysis-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        running = new HashMap<>();
        joined = new IdentityHashMap<>();
        runThreads = new IdentityHashMap<>();
        abandoned = new HashSet<>();
        closing = false;
    }

    @Override
    public void close() {
        closing = true;
        if (pool != null) pool.shutdownNow();
        synchronized (catalog) {
            catalog.close();
        }
    }

    @Override
    public void asyncInvoke(HeavyWork work, ResultFuture<HeavyOutcome> result) {
        CompletableFuture<Ran> run;
        boolean start = false;
        synchronized (running) {
            run = running.get(work.runKey());
            if (run == null) {
                run = new CompletableFuture<>();
                running.put(work.runKey(), run);
                start = true;
            }
            joined.put(work, run);
        }
        if (start) {
            CompletableFuture<Ran> mine = run;
            pool.execute(() -> runAndComplete(work, mine));
        }
        run.whenComplete((ran, error) -> {
            synchronized (running) {
                joined.remove(work);
            }
            if (error != null) result.completeExceptionally(error);
            else result.complete(List.of(ran.outcome(work)));
        });
    }

    /** The run overran even the operator's timeout (it did not stop at its budget): its result is that overrun. */
    @Override
    public void timeout(HeavyWork work, ResultFuture<HeavyOutcome> result) {
        LOG.warn("heavy analysis {} of {} still running after {}; failing it", work.resultKey(), work.sha256(), timeout(analysis));
        result.complete(List.of(overran(work).outcome(work)));
        CompletableFuture<Ran> run;
        synchronized (running) {
            run = joined.remove(work);
        }
        if (run != null) abandon(work.runKey(), run);
    }

    private Ran overran(HeavyWork work) {
        return new Ran(new ResultRow(work.sha256(), work.analyzer(), work.version(), work.paramsHash(), work.paramsJson(),
                null, ResultStatus.FAILED,
                work.analyzer() + " did not stop within " + timeout(analysis).toSeconds() + " s (" + HeavyRuns.BUDGET_EXCEEDED + ")",
                Instant.now()), null);
    }

    /**
     * A run past the operator's timeout is interrupted and left to its thread, which the pool replaces for as long as
     * the run goes on: a native call that ignores interrupts (an ONNX session) would otherwise hold one of the pool's
     * few threads for good, and every later heavy work of this subtask would wait behind it and time out too. A new
     * work for the same analysis starts a run of its own rather than joining the abandoned one.
     */
    private void abandon(String runKey, CompletableFuture<Ran> run) {
        synchronized (running) {
            Thread t = runThreads.get(run);
            if (t == null || !abandoned.add(t)) return; // still queued (the pool was busy), or already abandoned
            running.remove(runKey, run);
            t.interrupt();
            pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
            pool.setCorePoolSize(pool.getCorePoolSize() + 1);
        }
    }

    private void runAndComplete(HeavyWork work, CompletableFuture<Ran> run) {
        synchronized (running) {
            runThreads.put(run, Thread.currentThread());
        }
        Ran ran = null;
        Throwable error = null;
        boolean wasAbandoned;
        try {
            ran = run(work);
        } catch (Throwable t) {
            error = t;
        }
        synchronized (running) {
            running.remove(work.runKey(), run);
            runThreads.remove(run);
            wasAbandoned = abandoned.remove(Thread.currentThread());
            if (wasAbandoned) { // its replacement stays; the pool shrinks back
                pool.setCorePoolSize(pool.getCorePoolSize() - 1);
                pool.setMaximumPoolSize(pool.getMaximumPoolSize() - 1);
            }
        }
        if (wasAbandoned && !closing) {
            // works that joined this run later and are still waiting get its overrun, not the interruption's artefact
            Thread.interrupted();
            run.complete(overran(work));
            return;
        }
        if (closing || Thread.currentThread().isInterrupted()) {
            // The task is being cancelled: whatever the run returned is an artefact of the interruption. The work
            // is in the last checkpoint and runs again after the restore.
            run.completeExceptionally(new CancellationException("heavy analysis interrupted by task cancellation"));
        } else if (error instanceof RuntimeException e) {
            LOG.error("heavy analysis {} of {} failed", work.resultKey(), work.sha256(), e);
            run.complete(new Ran(null, "internal error: " + e.getMessage()));
        } else if (error != null) {
            run.completeExceptionally(error); // an Error fails the task, which restarts from the last checkpoint
        } else {
            run.complete(ran);
        }
    }

    private Ran run(HeavyWork work) {
        Path file;
        try {
            file = BlobPaths.toPath(work.blobLocation(), work.sha256(), analysis.blobs());
        } catch (IOException | IllegalArgumentException e) {
            return new Ran(null, e.getMessage());
        }
        Selection s = selection(work);
        AnalysisReport report = analysis.analyze(file, work.sha256(), List.of(s));
        Instant now = Instant.now();
        if (report.error() != null) {
            return new Ran(null, "undecodable recording (" + report.error().code() + "): " + report.error().message());
        }
        Envelope envelope = report.results().get(s.key());
        if (envelope != null) return new Ran(ResultRows.succeeded(work.sha256(), s, envelope, now), null);
        AnalysisReport.ErrorInfo failure = report.failures().get(s.key());
        return new Ran(ResultRows.failed(work.sha256(), s, failure != null ? failure.message() : "no result", now), null);
    }

    /** The analyzer the coordinator resolved, again, with a reference located on this machine. */
    private Selection selection(HeavyWork work) {
        Map<String, Object> params;
        try {
            params = Json.mapper().readValue(work.paramsJson(), PARAMS);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("parameters of " + work.resultKey() + " are not JSON", e);
        }
        Selection s = analysis.registry().select(work.analyzer() + ":" + work.version(), params);
        if (!s.params().hash().equals(work.paramsHash())) {
            throw new IllegalStateException("parameters of " + work.resultKey() + " resolved to " + s.params().hash());
        }
        return new ReferenceResolver(this::localFile).resolve(new Selection(work.resultKey(), s.analyzer(), s.params()));
    }

    private Optional<Path> localFile(String sha256) {
        synchronized (catalog) { // one connection, shared by the pool's threads
            return catalog.localFile(sha256, analysis.blobs());
        }
    }

    /** A run's outcome, whichever work asked for it. */
    private record Ran(ResultRow row, String failure) {
        HeavyOutcome outcome(HeavyWork work) {
            return row != null ? HeavyOutcome.stored(work, row) : HeavyOutcome.failed(work, failure);
        }
    }
}
