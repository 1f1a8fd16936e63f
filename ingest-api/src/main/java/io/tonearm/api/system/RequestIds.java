package io.tonearm.api.system;

import io.javalin.http.Context;

import java.util.UUID;
import java.util.regex.Pattern;

/** Every request gets an id (the client's {@code X-Request-Id} when sane), echoed back and logged. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    public static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(HEADER, id);
        ctx.header(HEADER, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(HEADER);
        return id == null ? "-" : id;
    }
}
