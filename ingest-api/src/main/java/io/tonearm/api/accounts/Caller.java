package io.tonearm.api.accounts;

import io.tonearm.sinks.accounts.Plan;
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

    /** The caller when the request was authenticated, for logs and metrics; empty for public routes and 401s. */
    public static java.util.Optional<Caller> ifAuthenticated(io.javalin.http.Context ctx) {
        return java.util.Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }
}
