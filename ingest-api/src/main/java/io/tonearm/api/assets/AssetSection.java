package io.tonearm.api.assets;

import io.tonearm.api.accounts.Caller;

/**
 * A part of {@code GET /v1/assets/{id}} that another feature owns (identification adds {@code near_duplicates}),
 * so that feature keeps its own data.
 */
public interface AssetSection {

    /** The top-level JSON field. */
    String field();

    /** The field's value for the caller's asset, serialized with the API's JSON mapper. */
    Object view(Caller caller, Asset asset);
}
