package io.tonearm.api.accounts;

import java.util.UUID;

/** Who is calling, as established from the Bearer key; handlers read it from the request. */
public record Caller(UUID accountId, UUID keyId, Plan plan) {

    static final String ATTRIBUTE = "tonearm.caller";

    public static Caller of(io.javalin.http.Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on " + ctx.path());
        }
        return caller;
    }
}
