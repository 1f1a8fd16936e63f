package io.tonearm.pipeline.analysis.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.sinks.postgres.ResultRow;
import io.tonearm.sinks.postgres.ResultStatus;

import java.time.Instant;

/** The {@code analysis_results} row of one analyzer's outcome on one recording. */
public final class ResultRows {

    private ResultRows() {
    }

    public static ResultRow succeeded(String sha256, Selection s, Envelope envelope, Instant at) {
        return row(sha256, s, json(envelope), ResultStatus.SUCCEEDED, null, at);
    }

    public static ResultRow failed(String sha256, Selection s, String error, Instant at) {
        return row(sha256, s, null, ResultStatus.FAILED, error, at);
    }

    private static ResultRow row(String sha256, Selection s, String envelope, ResultStatus status, String error, Instant at) {
        return new ResultRow(sha256, s.analyzer().spec().name(), s.analyzer().spec().version(), s.params().hash(),
                json(s.params().asMap()), envelope, status, error, at);
    }

    public static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
