package io.tonearm.api.credits;

import io.javalin.http.HttpStatus;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.system.ApiDocs;

import java.util.List;
import java.util.Map;

/**
 * The refusal of work priced per started minute ({@link io.tonearm.sinks.credits.Tariff}: master, separation,
 * transcription) on a recording that states no length, answered alike by the SSE stream and the job endpoints
 * before anything is charged or queued: 422 {@code unknown_duration}. Such recordings exist: a FLAC or WebM
 * written by a live encoder (a browser's MediaRecorder, a pipe) leaves the length field empty.
 */
public final class UnknownDuration {

    public static final String CODE = "unknown_duration";

    private UnknownDuration() {
    }

    /** @param perMinute what needed the duration: the stream's model names or the job's endpoint (e.g. {@code separate/2stem}) */
    public static ApiException refusal(List<String> perMinute) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, CODE, "the recording declares no duration, which "
                + String.join(", ", perMinute) + " (priced per started minute) needs; send a format that states its "
                + "length (WAV, FLAC, MP3, ...) written as a file: a FLAC or WebM recorded as a live stream has none");
    }

    /** The OpenAPI response of a request that can be refused this way. */
    public static Map<String, Object> openApiResponse(String otherReasons) {
        return Map.of("description", otherReasons + "; " + CODE + " when the recording states no length, which a "
                        + "price per started minute needs (nothing charged, no job)",
                "content", ApiDocs.ERROR_CONTENT);
    }
}
