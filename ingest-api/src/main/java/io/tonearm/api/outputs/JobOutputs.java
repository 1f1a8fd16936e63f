package io.tonearm.api.outputs;

import io.tonearm.api.files.SigningKeys;
import io.tonearm.api.jobs.OutputLinks;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.JobStatus;
import io.tonearm.sinks.postgres.StoredJob;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A succeeded job's outputs as {@code GET /v1/jobs/{id}} lists them: {@code {name, media_type, size_bytes, sha256,
 * url, expires_at, retained_until}}. {@code url} is a fresh signed link valid until {@code expires_at} (the link
 * lifetime, never past the retention window); once the retention window has passed, {@code url} is null.
 */
public final class JobOutputs implements OutputLinks {

    private final JobOutputRepository repository;
    private final DownloadLinks links;
    private final String publicBaseUrl;
    private final OutputSettings settings;
    private final Clock clock;

    public JobOutputs(Database db, SigningKeys keys, String publicBaseUrl, OutputSettings settings) {
        this(db, keys, publicBaseUrl, settings, Clock.systemUTC());
    }

    JobOutputs(Database db, SigningKeys keys, String publicBaseUrl, OutputSettings settings, Clock clock) {
        this.repository = new JobOutputRepository(db);
        this.links = new DownloadLinks(keys);
        this.publicBaseUrl = publicBaseUrl == null ? null : publicBaseUrl.replaceAll("/+$", "");
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public List<?> of(StoredJob job, String requestBase) {
        if (job.status() != JobStatus.SUCCEEDED) {
            return List.of();
        }
        String base = publicBaseUrl != null ? publicBaseUrl : requestBase == null ? "" : requestBase;
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        for (JobOutput o : repository.ofJob(job.id())) {
            Instant retainedUntil = retainedUntil(o);
            Instant expires = min(now.plus(settings.linkTtl()), retainedUntil);
            boolean live = now.isBefore(retainedUntil);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", o.name());
            view.put("analyzer", o.analyzer());
            view.put("media_type", o.mediaType());
            view.put("size_bytes", o.sizeBytes());
            view.put("sha256", o.sha256());
            view.put("url", live ? links.sign(base, o.accountId(), o.jobId(), o.name(), expires) : null);
            view.put("expires_at", live ? expires : retainedUntil);
            view.put("retained_until", retainedUntil);
            out.add(view);
        }
        return out;
    }

    Instant retainedUntil(JobOutput o) {
        Instant finished = o.finishedAt() == null ? clock.instant() : o.finishedAt();
        return finished.plus(settings.retention());
    }

    JobOutputRepository repository() {
        return repository;
    }

    DownloadLinks links() {
        return links;
    }

    Clock clock() {
        return clock;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
