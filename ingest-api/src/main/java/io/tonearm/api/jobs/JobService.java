package io.tonearm.api.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.sinks.postgres.JobRepository;
import io.tonearm.sinks.postgres.StoredJob;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Jobs as one account sees them: read, list, cancel, and wait for one to finish without polling. */
public final class JobService {

    /** Re-read a waited-for job at least this often, in case the listening connection was being re-established. */
    private static final Duration SAFETY_REREAD = Duration.ofSeconds(2);

    private final JobRepository jobs;
    private final JobStore store;
    private final JobResults results;
    private final JobChanges changes;
    private final OutputLinks outputs;

    public JobService(JobRepository jobs, JobStore store, JobResults results, JobChanges changes) {
        this(jobs, store, results, changes, OutputLinks.NONE);
    }

    public JobService(JobRepository jobs, JobStore store, JobResults results, JobChanges changes, OutputLinks outputs) {
        this.jobs = jobs;
        this.store = store;
        this.results = results;
        this.changes = changes;
        this.outputs = outputs;
    }

    /** The caller's job; 404 for an unknown id and for another account's job alike. */
    public StoredJob get(Caller caller, String id) {
        return parse(id).flatMap(u -> jobs.find(u, caller.accountId()))
                .orElseThrow(() -> ApiException.notFound("job"));
    }

    public JobView view(StoredJob j) {
        return view(j, null);
    }

    /** @param requestBase scheme and host of the request, for output links when no public URL is configured */
    public JobView view(StoredJob j, String requestBase) {
        List<Object> files = new java.util.ArrayList<>(outputs(j.outputsJson()));
        files.addAll(outputs.of(j, requestBase));
        return new JobView(j.id(), j.kind(), j.status().sql(), results.of(j).orElse(null), j.error(),
                files, j.assetId(), j.createdAt(), j.updatedAt());
    }

    public JobResults results() {
        return results;
    }

    JobStore.Page list(Caller caller, JobStore.Filter filter) {
        return store.list(caller.accountId(), filter);
    }

    Optional<StoredJob> find(Caller caller, UUID id) {
        return jobs.find(id, caller.accountId());
    }

    /** Cancels a queued job; 409 once it has started or finished. */
    StoredJob cancel(Caller caller, String id) {
        StoredJob job = get(caller, id);
        if (!store.cancelIfQueued(caller.accountId(), job.id())) {
            StoredJob now = get(caller, id);
            throw ApiException.conflict("job_not_cancellable",
                    "the job is " + now.status().sql() + "; only a queued job can be cancelled");
        }
        return get(caller, id);
    }

    /** A job as a wait left it, with its result body when it succeeded and its results are readable. */
    public record Finished(StoredJob job, Optional<java.util.Map<String, Object>> result) {
    }

    /**
     * Waits until the job failed or was cancelled, or succeeded AND its results are readable (the pipeline
     * commits results and the job's status through separate sinks, in either order), or {@code wait} passed.
     * Woken by the job's and the recording's NOTIFYs.
     */
    public Finished awaitResult(Caller caller, UUID jobId, String sha256, Duration wait) throws InterruptedException {
        Semaphore changed = new Semaphore(0);
        long deadline = System.nanoTime() + wait.toNanos();
        try (JobChanges.Subscription s = changes.subscribe(jobId, changed::release);
             JobChanges.Subscription r = changes.subscribeResults(sha256, changed::release)) {
            while (true) {
                StoredJob job = jobs.find(jobId, caller.accountId()).orElseThrow(() -> ApiException.notFound("job"));
                Optional<java.util.Map<String, Object>> result = results.of(job);
                long left = deadline - System.nanoTime();
                boolean finished = job.status().terminal() && (job.status() != io.tonearm.sinks.postgres.JobStatus.SUCCEEDED
                        || result.isPresent());
                if (finished || left <= 0) {
                    return new Finished(job, result);
                }
                if (changed.tryAcquire(Math.min(left, SAFETY_REREAD.toNanos()), TimeUnit.NANOSECONDS)) {
                    changed.drainPermits();
                }
            }
        }
    }

    public JobChanges changes() {
        return changes;
    }

    static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<Object> outputs(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json, new TypeReference<List<Object>>() { });
        } catch (IOException e) {
            return List.of();
        }
    }
}
