package io.tonearm.api.processing;

import io.tonearm.api.credits.UnknownDuration;
import io.tonearm.api.system.ApiDocs;
import io.tonearm.sinks.postgres.JobStatus;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The long jobs' part of {@code /openapi.json}: the 202 answer and the refusals clients branch on. */
final class ProcessingApiDocs {

    private ProcessingApiDocs() {
    }

    /**
     * @param perMinute    priced per started minute of audio, so a recording without a stated length is refused
     * @param other422     the endpoint's own 422 reasons, or empty
     */
    static Map<String, Object> job(boolean perMinute, String other422) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_id", Map.of("type", "string", "format", "uuid"));
        job.put("status", Map.of("type", "string", "enum", Arrays.stream(JobStatus.values()).map(JobStatus::sql).toList()));
        job.put("kind", Map.of("type", "string"));
        job.put("asset_id", Map.of("type", "string", "format", "uuid"));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("202", Map.of("description", "the job (Location: /v1/jobs/{job_id}); its files come with the job",
                "content", Map.of("application/json", Map.of("schema", Map.of("type", "object", "properties", job)))));
        responses.put("402", Map.of("description", "insufficient_credits: the balance does not cover the price "
                + "(nothing charged, no job)", "content", ApiDocs.ERROR_CONTENT));
        String undecodable = (other422.isEmpty() ? "" : other422 + "; ") + "undecodable_audio.* when the asset cannot be decoded";
        responses.put("422", perMinute ? UnknownDuration.openApiResponse(undecodable)
                : Map.of("description", undecodable, "content", ApiDocs.ERROR_CONTENT));
        return Map.of("responses", responses);
    }
}
