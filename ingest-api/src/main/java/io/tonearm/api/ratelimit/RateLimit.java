package io.tonearm.api.ratelimit;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.Caller;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import io.tonearm.api.errors.ApiException;

import java.util.Map;
import java.util.function.Function;

/**
 * Before-handler (after authentication) enforcing the caller's plan limit: every answer carries
 * {@code X-RateLimit-Limit/Remaining/Reset}; over the limit it is a 429 with {@code Retry-After}.
 */
public final class RateLimit implements Handler {

    private final RateLimiter limiter;
    private final Function<Plan, PlanLimits> limits;

    public RateLimit(RateLimiter limiter, Function<Plan, PlanLimits> limits) {
        this.limiter = limiter;
        this.limits = limits;
    }

    @Override
    public void handle(Context ctx) {
        Caller caller = Caller.of(ctx);
        PlanLimits plan = limits.apply(caller.plan());
        RateLimiter.Decision d = limiter.hit(caller.keyId(), plan.requestsPerWindow(), plan.window().toSeconds());
        ctx.header("X-RateLimit-Limit", Integer.toString(d.limit()));
        ctx.header("X-RateLimit-Remaining", Integer.toString(d.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString(d.resetSeconds()));
        if (!d.allowed()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "rate limit of " + d.limit() + " requests per " + plan.window().toSeconds() + " s exceeded",
                    Map.of("Retry-After", Long.toString(d.resetSeconds())));
        }
    }
}
