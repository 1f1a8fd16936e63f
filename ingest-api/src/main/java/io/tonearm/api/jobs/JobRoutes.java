package io.tonearm.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.PageCursor;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Json;
import io.tonearm.api.http.Routes;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.StoredJob;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The {@code /v1/jobs} resource: read, list, cancel, and a status stream. */
public final class JobRoutes implements Routes.Feature {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final long KEEP_ALIVE_SECONDS = 15;
    private static final long RESULT_GRACE_SECONDS = 10;

    record ListView(List<JobView> items, String nextCursor) {
    }

    private final JobService jobs;

    public JobRoutes(JobService jobs) {
        this.jobs = jobs;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/v1/jobs", "List jobs newest first; filters status, kind, asset_id; cursor and limit", this::list)
                .get("/v1/jobs/{id}", "One job: status, result, error, outputs [{name, media_type, size_bytes, sha256, url, expires_at}] (signed, expiring download links)", this::get)
                .post("/v1/jobs/{id}/cancel", "Cancel a job that has not started (409 once it has)", this::cancel)
                .get("/v1/jobs/{id}/events", "Server-Sent Events: the job's status changes until it ends "
                        + "(Accept: text/event-stream)", this::events);
    }

    private void get(Context ctx) {
        ctx.json(jobs.view(jobs.get(Caller.of(ctx), ctx.pathParam("id")), base(ctx)));
    }

    private void cancel(Context ctx) {
        ctx.json(jobs.view(jobs.cancel(Caller.of(ctx), ctx.pathParam("id")), base(ctx)));
    }

    private void list(Context ctx) {
        Caller caller = Caller.of(ctx);
        JobStatus status = null;
        String s = ctx.queryParam("status");
        if (s != null) {
            try {
                status = JobStatus.fromSql(s.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_status", "status is one of queued, running, succeeded, failed, cancelled");
            }
        }
        UUID assetId = null;
        String a = ctx.queryParam("asset_id");
        if (a != null) {
            assetId = JobService.parse(a).orElseThrow(() -> ApiException.badRequest("invalid_asset_id", "asset_id is not an id"));
        }
        int limit = DEFAULT_LIMIT;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.badRequest("invalid_limit", "limit is 1 to " + MAX_LIMIT);
            }
        }
        String cursor = ctx.queryParam("cursor");
        JobStore.Page page = jobs.list(caller, new JobStore.Filter(status, ctx.queryParam("kind"), assetId,
                cursor == null ? null : PageCursor.decode(cursor), limit));
        List<JobView> items = page.ids().stream().map(id -> jobs.find(caller, id)).flatMap(java.util.Optional::stream)
                .map(j -> jobs.view(j, base(ctx))).toList();
        ctx.json(new ListView(items, page.next() == null ? null : page.next().encode()));
    }

    /**
     * One {@code status} event per distinct status, in order (forward-only, so a fast job may skip
     * {@code running}), each carrying the job as {@code GET /v1/jobs/{id}} shows it; the stream ends after the
     * terminal status. Woken by the shared NOTIFY listener; a comment every 15 s keeps proxies from timing out.
     */
    private void events(Context ctx) throws Exception {
        Caller caller = Caller.of(ctx);
        StoredJob job = jobs.get(caller, ctx.pathParam("id"));
        if (!"text/event-stream".equals(ctx.header("Accept"))) {
            throw new ApiException(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
                    "this endpoint streams Server-Sent Events: send Accept: text/event-stream");
        }
        String base = base(ctx);
        new SseHandler(client -> stream(client, caller, job, base)).handle(ctx);
    }

    private static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }

    private void stream(SseClient client, Caller caller, StoredJob first, String base) {
        Semaphore changed = new Semaphore(0);
        String last = null;
        long resultDeadline = 0;
        try (JobChanges.Subscription s = jobs.changes().subscribe(first.id(), changed::release);
             JobChanges.Subscription r = first.sha256() == null ? () -> { }
                     : jobs.changes().subscribeResults(first.sha256(), changed::release)) {
            while (!client.terminated()) {
                StoredJob job = jobs.find(caller, first.id()).orElse(null);
                if (job == null) {
                    client.sendEvent("error", "{\"error\":{\"code\":\"not_found\",\"message\":\"job not found\"}}");
                    break;
                }
                JobView view = jobs.view(job, base);
                String status = job.status().sql();
                // The pipeline commits results and status through separate sinks: give the results a moment so the
                // terminal event of a succeeded job carries them.
                boolean resultPending = job.status() == JobStatus.SUCCEEDED && view.result() == null;
                if (resultPending && resultDeadline == 0) {
                    resultDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESULT_GRACE_SECONDS);
                }
                boolean holdBack = resultPending && System.nanoTime() < resultDeadline;
                if (!status.equals(last) && !holdBack) {
                    client.sendEvent("status", Json.mapper().writeValueAsString(view), status);
                    last = status;
                }
                if (job.status().terminal() && !holdBack) {
                    break;
                }
                if (!changed.tryAcquire(holdBack ? 200 : KEEP_ALIVE_SECONDS * 1000, TimeUnit.MILLISECONDS) && !holdBack) {
                    client.sendComment("keep-alive");
                }
                changed.drainPermits();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }
}
