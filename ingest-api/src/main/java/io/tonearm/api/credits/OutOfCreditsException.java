package io.tonearm.api.credits;

import io.javalin.http.HttpStatus;
import io.tonearm.api.errors.ApiException;

/** The account's balance does not cover a request: HTTP 402 {@code insufficient_credits}; nothing was charged. */
public final class OutOfCreditsException extends ApiException {

    private final long required;
    private final long balance;

    public OutOfCreditsException(String endpoint, long required, long balance) {
        super(HttpStatus.PAYMENT_REQUIRED, "insufficient_credits",
                endpoint + " costs " + required + " credits; the balance is " + balance);
        this.required = required;
        this.balance = balance;
    }

    public long required() {
        return required;
    }

    public long balance() {
        return balance;
    }
}
