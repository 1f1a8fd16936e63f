package io.tonearm.sinks.credits;

/**
 * The account's balance does not cover a request; nothing was charged. The API answers it with HTTP 402 and
 * {@link #CODE}; the pipeline reports it as a refused registration with the same code.
 */
public final class OutOfCreditsException extends RuntimeException {

    /** The error code clients see, over HTTP and on the ingest results topic alike. */
    public static final String CODE = "insufficient_credits";

    private final long required;
    private final long balance;

    public OutOfCreditsException(String endpoint, long required, long balance) {
        super(endpoint + " costs " + required + " credits; the balance is " + balance);
        this.required = required;
        this.balance = balance;
    }

    public String code() {
        return CODE;
    }

    public long required() {
        return required;
    }

    public long balance() {
        return balance;
    }
}
