package io.tonearm.api.search;

import io.tonearm.api.errors.ApiException;
import io.tonearm.sinks.elasticsearch.SearchQuery;

/**
 * The {@code next_cursor} clients see: the repository's cursor (the last hit's sort values) prefixed with the sort
 * it belongs to, so a cursor replayed with another sort is refused instead of silently skipping or repeating items.
 */
final class SearchCursor {

    private SearchCursor() {
    }

    static String encode(String repositoryCursor, SearchQuery query) {
        return repositoryCursor == null ? null : prefix(query) + repositoryCursor;
    }

    /** The repository's cursor inside {@code cursor}; 400 {@code invalid_cursor} when it is not one for this sort. */
    static String decode(String cursor, SearchQuery query) {
        String prefix = prefix(query);
        if (!cursor.startsWith(prefix) || cursor.length() == prefix.length()) {
            throw invalid();
        }
        return cursor.substring(prefix.length());
    }

    static ApiException invalid() {
        return ApiException.badRequest("invalid_cursor", "cursor is not one this endpoint returned for this sort");
    }

    private static String prefix(SearchQuery query) {
        return query.sort().name().toLowerCase() + (query.descending() ? "-d." : "-a.");
    }
}
