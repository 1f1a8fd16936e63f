package io.tonearm.pipeline.analysis.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tonearm.analysis.Json;
import io.tonearm.events.AnalysisCompleted.ResultRef;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.EventCodec;
import io.tonearm.sinks.postgres.ResultKey;
import io.tonearm.sinks.postgres.ResultRow;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job that ends after its heavy analyses: its request, every result it asked for by the client's name with the
 * outcome known so far ({@link #PENDING} for a heavy result still running), the light result rows its batch computed,
 * and a failure that already decides it. Travels as JSON in each {@link HeavyWork} it waits for and stays in
 * {@link HeavyCompletion}'s state while some of them still run.
 *
 * @param version  of this JSON form ({@link #CURRENT_VERSION}); a form this class does not know is refused
 * @param request  the request in its wire form ({@link EventCodec})
 * @param rows     light results computed on the coordinator's decode in the same batch: the coordinator wrote them
 *                 already, and the job's end writes them again (idempotent upserts) right before its terminal
 *                 transition, so that the transition follows them on one stream whatever the two paths' timing
 * @param failure  set by a heavy outcome that fails the whole job (undecodable recording); null otherwise
 */
record AwaitingJob(int version, String request, Map<String, ResultRef> results, List<ResultRow> rows,
                          String failure) {

    static final int CURRENT_VERSION = 1;
    static final String PENDING = "pending";
    private static final TypeReference<List<AwaitingJob>> LIST = new TypeReference<>() {
    };
    private static final ObjectMapper JSON = Json.mapper().copy().registerModule(new JavaTimeModule());

    public AwaitingJob {
        if (version != CURRENT_VERSION) throw new IllegalArgumentException("unknown AwaitingJob version " + version);
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    static AwaitingJob of(AnalysisRequested request, Map<String, ResultRef> results, List<ResultRow> rows) {
        return new AwaitingJob(CURRENT_VERSION, EventCodec.encodeToString(request), results, rows, null);
    }

    AnalysisRequested decodedRequest() {
        return EventCodec.decodeAnalysisRequested(request.getBytes(StandardCharsets.UTF_8));
    }

    String requestId() {
        return decodedRequest().requestId().toString();
    }

    /** True while some heavy result it asked for has not come back. */
    boolean waiting() {
        return results.values().stream().anyMatch(r -> PENDING.equals(r.status()));
    }

    /** With the outcome of {@code resultKey} in every place the job asked for it. */
    AwaitingJob with(String resultKey, String status, String error, String jobFailure) {
        Map<String, ResultRef> next = new LinkedHashMap<>(results);
        next.replaceAll((name, r) -> ResultKey.of(r.analyzer(), r.version(), r.paramsHash()).equals(resultKey)
                ? new ResultRef(r.analyzer(), r.version(), r.paramsHash(), status, error) : r);
        return new AwaitingJob(version, request, next, rows, failure != null ? failure : jobFailure);
    }

    String toJson() {
        return write(this);
    }

    static AwaitingJob fromJson(String json) {
        try {
            return JSON.readValue(json, AwaitingJob.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an awaiting job: " + e.getOriginalMessage(), e);
        }
    }

    static String listToJson(List<AwaitingJob> jobs) {
        return write(jobs);
    }

    static List<AwaitingJob> listFromJson(String json) {
        try {
            return JSON.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a list of awaiting jobs: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize awaiting jobs", e);
        }
    }
}
