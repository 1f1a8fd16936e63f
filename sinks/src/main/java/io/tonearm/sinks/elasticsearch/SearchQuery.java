package io.tonearm.sinks.elasticsearch;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link SearchRepository#search} looks for: always one account's assets, narrowed by optional filters,
 * sorted, one page at a time. Build with {@link #forAccount(String)}; every range bound is inclusive and either
 * end may be null (open).
 *
 * @param accountId   whose assets; never null: isolation between accounts is part of every query
 * @param key         tonic as stored ({@code A}, {@code F#}, {@code Eb}), exact
 * @param mode        {@code major} / {@code minor}
 * @param tempo       bpm
 * @param loudness    integrated loudness, LUFS
 * @param duration    seconds
 * @param filename    case-insensitive substring of the file name
 * @param createdFrom inclusive lower bound of {@code created_at}
 * @param createdTo   inclusive upper bound of {@code created_at}
 * @param sort        the order of results; ties broken by {@code asset_id}
 * @param descending  sort direction
 * @param pageSize    1–{@value #MAX_PAGE_SIZE}
 * @param cursor      {@link SearchPage#nextCursor()} of the previous page, null for the first
 * @param facets      whether to count keys, modes and tempo buckets over all matches
 */
public record SearchQuery(String accountId, String key, String mode, Range tempo, Range loudness, Range duration,
                          String filename, Instant createdFrom, Instant createdTo, Sort sort, boolean descending,
                          int pageSize, String cursor, boolean facets) {

    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MAX_PAGE_SIZE = 100;

    /** Sortable fields, named as the stored fields. */
    public enum Sort {
        CREATED_AT("created_at"), TEMPO("tempo"), LOUDNESS("integrated_lufs"), DURATION("duration"), FILENAME("filename");

        final String field;

        Sort(String field) {
            this.field = field;
        }
    }

    /** An inclusive range; a null end is open. */
    public record Range(Double min, Double max) {
        public Range {
            if (min != null && max != null && min > max) {
                throw new IllegalArgumentException("range min " + min + " > max " + max);
            }
        }
    }

    public SearchQuery {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(sort, "sort");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size must be 1–" + MAX_PAGE_SIZE + ": " + pageSize);
        }
        if (mode != null && !mode.equals("major") && !mode.equals("minor")) {
            throw new IllegalArgumentException("mode must be major or minor: " + mode);
        }
    }

    /** All assets of the account, newest first, {@value #DEFAULT_PAGE_SIZE} per page, no facets. */
    public static SearchQuery forAccount(String accountId) {
        return new SearchQuery(accountId, null, null, null, null, null, null, null, null, Sort.CREATED_AT, true,
                DEFAULT_PAGE_SIZE, null, false);
    }

    public SearchQuery key(String key) {
        return new SearchQuery(accountId, key, mode, tempo, loudness, duration, filename, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery mode(String mode) {
        return new SearchQuery(accountId, key, mode, tempo, loudness, duration, filename, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery tempo(Double min, Double max) {
        return new SearchQuery(accountId, key, mode, new Range(min, max), loudness, duration, filename, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery loudness(Double min, Double max) {
        return new SearchQuery(accountId, key, mode, tempo, new Range(min, max), duration, filename, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery duration(Double min, Double max) {
        return new SearchQuery(accountId, key, mode, tempo, loudness, new Range(min, max), filename, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery filename(String text) {
        return new SearchQuery(accountId, key, mode, tempo, loudness, duration, text, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery created(Instant from, Instant to) {
        return new SearchQuery(accountId, key, mode, tempo, loudness, duration, filename, from, to, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery sortBy(Sort sort, boolean descending) {
        return new SearchQuery(accountId, key, mode, tempo, loudness, duration, filename, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery pageSize(int pageSize) {
        return new SearchQuery(accountId, key, mode, tempo, loudness, duration, filename, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery after(String cursor) {
        return new SearchQuery(accountId, key, mode, tempo, loudness, duration, filename, createdFrom, createdTo, sort, descending, pageSize, cursor, facets);
    }

    public SearchQuery withFacets() {
        return new SearchQuery(accountId, key, mode, tempo, loudness, duration, filename, createdFrom, createdTo, sort, descending, pageSize, cursor, true);
    }
}
