package io.tonearm.api.accounts;

import io.tonearm.sinks.accounts.Plan;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tonearm.api.http.Json;
import io.tonearm.api.http.Routes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final List<AccountSection> sections;

    public AccountRoutes(AccountService accounts, Function<Plan, PlanLimits> limits) {
        this(accounts, limits, List.of());
    }

    /** @param sections more top-level fields other features own (credits: {@code credit_usage}) */
    public AccountRoutes(AccountService accounts, Function<Plan, PlanLimits> limits, List<AccountSection> sections) {
        this.accounts = accounts;
        this.limits = limits;
        this.sections = List.copyOf(sections);
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/v1/account", "The caller's account: plan, credits, limits, usage", this::get);
    }

    private void get(Context ctx) {
        Caller caller = Caller.of(ctx);
        Map<String, Object> extra = new LinkedHashMap<>();
        for (AccountSection s : sections) {
            extra.put(s.field(), s.view(caller)); // first: a section may settle what the row shows
        }
        Account a = accounts.account(caller.accountId());
        PlanLimits l = limits.apply(a.plan());
        AccountRepository.Usage u = accounts.usage(a.id());
        ObjectNode view = Json.mapper().valueToTree(new AccountView(a.id(), a.name(), a.plan().id(), a.credits(),
                new Limits(l.requestsPerWindow(), l.window().toSeconds(), l.maxUploadBytes(),
                        a.plan().assetRetention().toHours()),
                new Usage(u.assets(), u.bytes()), a.createdAt()));
        extra.forEach((field, value) -> view.set(field, Json.mapper().valueToTree(value)));
        ctx.json(view);
    }
}
