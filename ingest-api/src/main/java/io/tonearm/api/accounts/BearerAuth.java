package io.tonearm.api.accounts;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/** Before-handler for {@code /v1/*}: establishes the {@link Caller} or answers 401/403. */
public final class BearerAuth implements Handler {

    private final AccountService accounts;

    public BearerAuth(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public void handle(Context ctx) {
        ctx.attribute(Caller.ATTRIBUTE, accounts.authenticate(ctx.header("Authorization")));
    }
}
