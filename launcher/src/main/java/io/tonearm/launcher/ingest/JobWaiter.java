package io.tonearm.launcher.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * {@code --wait}: polls every unfinished job ({@code GET /v1/jobs/{id}}, on the ingest's own bounded pool) in
 * rounds, pausing longer between rounds while jobs stay unfinished (0.5 s growing to 5 s), until each one has
 * succeeded, failed or been cancelled. A job that did not succeed becomes the file's error for that model.
 */
final class JobWaiter {

    private static final long FIRST_PAUSE_MILLIS = 500;
    private static final long MAX_PAUSE_MILLIS = 5_000;

    /** Polls of a job that says succeeded while its result is not readable yet (written by another sink). */
    private static final int RESULT_LAG_POLLS = 20;

    private record Pending(IngestCommand.FileResult file, String endpoint, String jobId,
                           java.util.concurrent.atomic.AtomicInteger resultLag) {
        Pending(IngestCommand.FileResult file, String endpoint, String jobId) {
            this(file, endpoint, jobId, new java.util.concurrent.atomic.AtomicInteger());
        }
    }

    private final Analyses analyses;
    private final ExecutorService pool;
    private final Progress progress;

    JobWaiter(Analyses analyses, ExecutorService pool, Progress progress) {
        this.analyses = analyses;
        this.pool = pool;
        this.progress = progress;
    }

    void await(List<IngestCommand.FileResult> files) throws InterruptedException {
        List<Pending> pending = new ArrayList<>();
        for (IngestCommand.FileResult f : files) {
            synchronized (f.jobs()) {
                for (Map.Entry<String, Analyses.Job> e : f.jobs().entrySet()) {
                    if (!e.getValue().terminal() && e.getValue().jobId() != null) {
                        pending.add(new Pending(f, e.getKey(), e.getValue().jobId()));
                    }
                }
            }
        }
        long pause = FIRST_PAUSE_MILLIS;
        while (!pending.isEmpty()) {
            List<Future<Boolean>> polls = new ArrayList<>();
            for (Pending p : pending) {
                polls.add(pool.submit(() -> poll(p)));
            }
            List<Pending> still = new ArrayList<>();
            for (int i = 0; i < polls.size(); i++) {
                try {
                    if (!polls.get(i).get()) {
                        still.add(pending.get(i));
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            pending = still;
            if (!pending.isEmpty()) {
                Thread.sleep(pause);
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 3 / 2);
            }
        }
    }

    /** True once the job has ended (or cannot be read even after the client's retries). */
    private boolean poll(Pending p) throws InterruptedException {
        Analyses.Job job;
        try {
            job = analyses.get(p.jobId());
        } catch (ApiClient.CallFailed e) {
            p.file().errors().put(p.endpoint(), "cannot read job " + p.jobId() + ": " + e.getMessage());
            progress.jobFinished(new Analyses.Job(p.jobId(), "failed", null, e.getMessage()));
            return true;
        }
        if ("succeeded".equals(job.status()) && job.result() == null) {
            // the job row can say succeeded a moment before its result row is visible: look again
            if (p.resultLag().incrementAndGet() < RESULT_LAG_POLLS) {
                return false;
            }
            job = new Analyses.Job(job.jobId(), "failed", null, "the job succeeded but its result cannot be read");
        }
        p.file().jobs().put(p.endpoint(), job);
        if (!job.terminal()) {
            return false;
        }
        progress.jobFinished(job);
        if (!"succeeded".equals(job.status())) {
            p.file().errors().put(p.endpoint(), job.status() + (job.error() == null ? "" : ": " + job.error()));
        }
        return true;
    }
}
