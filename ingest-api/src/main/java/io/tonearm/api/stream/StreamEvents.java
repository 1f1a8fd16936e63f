package io.tonearm.api.stream;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The payloads of the stream's events, as clients parse them (snake_case JSON). */
final class StreamEvents {

    static final String STARTED = "started";
    static final String COMPLETED = "completed";
    static final String ERROR = "error";
    static final String FINISHED = "finished";

    private StreamEvents() {
    }

    /** One event to send: its name and its data; {@code model} is the selection it reports on, if any. */
    record Event(String name, Object data, String model) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Started(int totalModels, String correlationId, String filename) {
    }

    /** The result envelope plus the stream's correlation id; {@code results} as the analysis module maps it. */
    record Result(String modelName, String modelVersion, String correlationId, Object results) {
    }

    record Completed(Result result) {
    }

    record ErrorBody(String code, String message) {
    }

    /** {@code modelName} is null when the whole recording failed (undecodable, timeout). */
    record Failed(ErrorBody error, String modelName) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Finished(int totalModels, int completed, int failed, String correlationId, String filename) {
    }
}
