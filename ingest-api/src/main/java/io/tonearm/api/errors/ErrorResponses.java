package io.tonearm.api.errors;

import com.fasterxml.jackson.core.JacksonException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRouting;
import io.tonearm.sinks.credits.OutOfCreditsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Turns every failure into the one error shape clients parse: {@code {"error": {"code", "message"}}}.
 * Unexpected exceptions become a 500 with the request id, never a stack trace.
 */
public final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    public static void register(JavalinDefaultRouting routing) {
        routing.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            write(ctx, e.status(), e.code(), e.getMessage());
        });
        // The ledger lives in sinks (the pipeline charges too) and knows no HTTP: its refusal is a 402 here.
        routing.exception(OutOfCreditsException.class, (e, ctx) ->
                write(ctx, HttpStatus.PAYMENT_REQUIRED, e.code(), e.getMessage()));
        routing.exception(JacksonException.class, (e, ctx) ->
                write(ctx, HttpStatus.BAD_REQUEST, "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage()));
        routing.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            write(ctx, status, status.name().toLowerCase(), e.getMessage());
        });
        routing.exception(Exception.class, (e, ctx) -> {
            if (isMultipartTooLarge(e)) {
                write(ctx, HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "the uploaded file is too large");
                return;
            }
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            write(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                    "unexpected error; quote request id " + ctx.res().getHeader("X-Request-Id"));
        });
        routing.error(HttpStatus.NOT_FOUND.getCode(), "*", ctx -> {
            if (ctx.result() == null) {
                write(ctx, HttpStatus.NOT_FOUND, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        routing.error(HttpStatus.METHOD_NOT_ALLOWED.getCode(), "*", ctx ->
                write(ctx, HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", ctx.method() + " is not allowed here"));
    }

    public static void write(Context ctx, HttpStatus status, String code, String message) {
        ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message == null ? code : message)));
    }

    /** Jetty reports a multipart part over the configured maximum as an IllegalStateException. */
    private static boolean isMultipartTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof IllegalStateException && m != null && (m.contains("exceeds max") || m.contains("max file size")
                    || m.contains("Request exceeds maxRequestSize") || m.contains("exceeds maxFileSize"))) {
                return true;
            }
        }
        return false;
    }
}
