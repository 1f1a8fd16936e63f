package io.tonearm.api.accounts;

import io.javalin.http.Context;
import io.tonearm.api.http.Routes;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/** {@code GET /v1/account}: plan, credits, limits and usage of the caller's account. */
public final class AccountRoutes implements Routes.Feature {

    record Limits(int requestsPerWindow, long windowSeconds, long maxUploadBytes, long assetRetentionHours) {
    }

    record Usage(long assets, long storedBytes) {
    }

    record AccountView(UUID accountId, String name, String plan, long credits, Limits limits, Usage usage,
                       Instant createdAt) {
    }

    private final AccountService accounts;
    private final Function<Plan, PlanLimits> limits;

    public AccountRoutes(AccountService accounts, Function<Plan, PlanLimits> limits) {
        this.accounts = accounts;
        this.limits = limits;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/v1/account", "The caller's account: plan, credits, limits, usage", this::get);
    }

    private void get(Context ctx) {
        Caller caller = Caller.of(ctx);
        Account a = accounts.account(caller.accountId());
        PlanLimits l = limits.apply(a.plan());
        AccountRepository.Usage u = accounts.usage(a.id());
        ctx.json(new AccountView(a.id(), a.name(), a.plan().id(), a.credits(),
                new Limits(l.requestsPerWindow(), l.window().toSeconds(), l.maxUploadBytes(),
                        a.plan().assetRetention().toHours()),
                new Usage(u.assets(), u.bytes()), a.createdAt()));
    }
}
