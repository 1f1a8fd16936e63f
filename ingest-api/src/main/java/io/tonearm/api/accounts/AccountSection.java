package io.tonearm.api.accounts;

/**
 * A part of {@code GET /v1/account} that another feature owns (credits adds {@code credit_usage}), so that
 * package keeps its own data. Sections are computed before the account row is read: a section may settle
 * state the row shows (the monthly credit grant changes {@code credits}).
 */
public interface AccountSection {

    /** The top-level JSON field. */
    String field();

    /** The field's value for the caller's account, serialized with the API's JSON mapper. */
    Object view(Caller caller);
}
