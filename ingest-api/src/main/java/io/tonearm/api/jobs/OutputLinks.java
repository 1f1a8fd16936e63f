package io.tonearm.api.jobs;

import io.tonearm.sinks.postgres.StoredJob;

import java.util.List;

/** The files a job produced, as {@code GET /v1/jobs/{id}} lists them with their download links. */
public interface OutputLinks {

    OutputLinks NONE = (job, requestBase) -> List.of();

    /** @param requestBase scheme and host the request came in on, for links when no public URL is configured */
    List<?> of(StoredJob job, String requestBase);
}
