package io.tonearm.api.search;

import io.javalin.http.Context;
import io.tonearm.api.errors.ApiException;
import io.tonearm.sinks.elasticsearch.SearchQuery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The query string of {@code GET /v1/search}, validated: every bad value is a 400 {@code invalid_parameter} naming
 * the parameter, and the account always comes from the authenticated caller, never from the request.
 *
 * @param query     filters, sort, page size, cursor and facets for {@code SearchRepository}
 * @param similarTo the anchor asset of a kNN search, or null
 */
record SearchParameters(SearchQuery query, String similarTo) {

    static final int MAX_PAGE_LIMIT = 50;

    private static final Set<String> KNOWN = Set.of("key", "mode", "tempo_min", "tempo_max", "loudness_min",
            "loudness_max", "duration_min", "duration_max", "filename", "created_from", "created_to", "sort", "order",
            "page_limit", "cursor", "facets", "similar_to");

    /** Sort names clients use → the repository's sorts. */
    private static final Map<String, SearchQuery.Sort> SORTS = Map.of("created_at", SearchQuery.Sort.CREATED_AT,
            "tempo", SearchQuery.Sort.TEMPO, "loudness", SearchQuery.Sort.LOUDNESS,
            "duration", SearchQuery.Sort.DURATION, "filename", SearchQuery.Sort.FILENAME);

    /** Tonics as the key analyzer spells them, with the enharmonic spellings it does not use mapped onto them. */
    private static final Map<String, String> TONICS = Map.ofEntries(
            Map.entry("C", "C"), Map.entry("C#", "C#"), Map.entry("DB", "C#"), Map.entry("D", "D"),
            Map.entry("D#", "Eb"), Map.entry("EB", "Eb"), Map.entry("E", "E"), Map.entry("F", "F"),
            Map.entry("F#", "F#"), Map.entry("GB", "F#"), Map.entry("G", "G"), Map.entry("G#", "Ab"),
            Map.entry("AB", "Ab"), Map.entry("A", "A"), Map.entry("A#", "Bb"), Map.entry("BB", "Bb"),
            Map.entry("B", "B"));

    static SearchParameters parse(Context ctx, UUID accountId) {
        Set<String> unknown = new TreeSet<>(ctx.queryParamMap().keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw invalid("unknown parameter " + String.join(", ", unknown) + "; known: " + String.join(", ", new TreeSet<>(KNOWN)));
        }
        SearchQuery q = SearchQuery.forAccount(accountId.toString()).pageSize(pageLimit(ctx));
        String key = text(ctx, "key");
        if (key != null) {
            String tonic = TONICS.get(key.toUpperCase(Locale.ROOT).replace('♯', '#').replace('♭', 'B'));
            if (tonic == null) {
                throw invalid("key must be a tonic such as C, F#, Eb or Bb: " + key);
            }
            q = q.key(tonic);
        }
        String mode = text(ctx, "mode");
        if (mode != null) {
            mode = mode.toLowerCase(Locale.ROOT);
            if (!mode.equals("major") && !mode.equals("minor")) {
                throw invalid("mode must be major or minor: " + ctx.queryParam("mode"));
            }
            q = q.mode(mode);
        }
        Double[] tempo = range(ctx, "tempo");
        Double[] loudness = range(ctx, "loudness");
        Double[] duration = range(ctx, "duration");
        q = q.tempo(tempo[0], tempo[1]).loudness(loudness[0], loudness[1]).duration(duration[0], duration[1]);
        q = q.filename(text(ctx, "filename"));
        Instant from = instant(ctx, "created_from", false);
        Instant to = instant(ctx, "created_to", true);
        if (from != null && to != null && from.isAfter(to)) {
            throw invalid("created_from must not be after created_to");
        }
        q = q.created(from, to);
        q = sort(ctx, q);
        String facets = text(ctx, "facets");
        if (facets != null && !facets.equals("true") && !facets.equals("false")) {
            throw invalid("facets must be true or false");
        }
        if ("true".equals(facets)) {
            q = q.withFacets();
        }
        String similarTo = text(ctx, "similar_to");
        String cursor = text(ctx, "cursor");
        if (similarTo != null) {
            for (String p : List.of("sort", "order", "cursor", "facets")) {
                if (text(ctx, p) != null) {
                    throw invalid(p + " does not apply to similar_to: its results are the page_limit nearest, nearest first");
                }
            }
        } else if (cursor != null) {
            q = q.after(SearchCursor.decode(cursor, q));
        }
        return new SearchParameters(q, similarTo);
    }

    private static int pageLimit(Context ctx) {
        String v = text(ctx, "page_limit");
        if (v == null) {
            return SearchQuery.DEFAULT_PAGE_SIZE;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_PAGE_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw invalid("page_limit must be an integer from 1 to " + MAX_PAGE_LIMIT + ": " + v);
    }

    /** {@code <name>_min} and {@code <name>_max}, inclusive, either may be absent. */
    private static Double[] range(Context ctx, String name) {
        Double min = number(ctx, name + "_min");
        Double max = number(ctx, name + "_max");
        if (min != null && max != null && min > max) {
            throw invalid(name + "_min must not exceed " + name + "_max");
        }
        return new Double[] {min, max};
    }

    private static Double number(Context ctx, String name) {
        String v = text(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw invalid(name + " must be a number: " + v);
    }

    /** An ISO-8601 instant, or a date: the start of that day (UTC) as a lower bound, its end as an upper bound. */
    private static Instant instant(Context ctx, String name, boolean upper) {
        String v = text(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(v);
                return upper ? day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1)
                        : day.atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw invalid(name + " must be an ISO-8601 instant (2026-11-01T12:00:00Z) or date (2026-11-01): " + v);
            }
        }
    }

    /** {@code sort=tempo} ascending, {@code sort=-tempo} or {@code order=desc} descending; default newest first. */
    private static SearchQuery sort(Context ctx, SearchQuery q) {
        String sort = text(ctx, "sort");
        String order = text(ctx, "order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw invalid("order must be asc or desc: " + order);
        }
        if (sort == null) {
            return q.sortBy(SearchQuery.Sort.CREATED_AT, !"asc".equals(order));
        }
        boolean minus = sort.startsWith("-");
        SearchQuery.Sort field = SORTS.get(minus ? sort.substring(1) : sort);
        if (field == null) {
            throw invalid("sort must be one of created_at, tempo, loudness, duration, filename (prefix - for descending): " + sort);
        }
        if (minus && "asc".equals(order)) {
            throw invalid("sort=" + sort + " is descending but order=asc");
        }
        return q.sortBy(field, minus || "desc".equals(order));
    }

    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_parameter", message);
    }
}
