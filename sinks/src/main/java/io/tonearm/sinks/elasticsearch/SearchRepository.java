package io.tonearm.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of search for the API ({@code GET /v1/search}). Every query is restricted to one account inside
 * Elasticsearch (a {@code term} filter on {@code account_id}, also inside the kNN clause), so another account's
 * documents are never fetched, counted or ranked. Thread-safe.
 */
public final class SearchRepository {
    /** Width of the tempo facet's buckets. */
    public static final int TEMPO_BUCKET_BPM = 10;
    private static final int MAX_SIMILAR = 100;
    private static final String[] LIST_EXCLUDES = {"features", "chord_histogram"};

    private final ElasticsearchClient client;
    private final SearchIndex index;

    public SearchRepository(ElasticsearchClient client, SearchIndex index) {
        this.client = client;
        this.index = index;
    }

    /**
     * The account's document of an asset (with {@code features}); empty when absent or another account's. A
     * search filtered by account, not a get by id, so that another account's document never leaves Elasticsearch.
     */
    public Optional<SearchDocument> find(String accountId, String assetId) throws IOException {
        SearchResponse<SearchDocument> response = client.search(s -> s.index(index.alias()).size(1)
                .query(q -> q.bool(b -> b.filter(term("account_id", accountId)).filter(f -> f.ids(i -> i.values(assetId))))),
                SearchDocument.class);
        return response.hits().hits().stream().map(Hit::source).findFirst();
    }

    /** One page of the account's documents matching the query's filters. */
    public SearchPage search(SearchQuery query) throws IOException {
        SortOrder order = query.descending() ? SortOrder.Desc : SortOrder.Asc;
        SearchRequest.Builder request = new SearchRequest.Builder()
                .index(index.alias())
                .query(filters(query))
                .size(query.pageSize() + 1) // one more tells whether a next page exists
                .trackTotalHits(t -> t.enabled(true))
                .source(s -> s.filter(f -> f.excludes(List.of(LIST_EXCLUDES))))
                .sort(SortOptions.of(s -> s.field(f -> f.field(query.sort().field).order(order).missing("_last"))),
                        SortOptions.of(s -> s.field(f -> f.field("asset_id").order(SortOrder.Asc))));
        if (query.cursor() != null) {
            request.searchAfter(decodeCursor(query.cursor()));
        }
        if (query.facets()) {
            request.aggregations("keys", a -> a.terms(t -> t.field("key").size(24)))
                    .aggregations("modes", a -> a.terms(t -> t.field("mode").size(2)))
                    .aggregations("tempo", a -> a.histogram(h -> h.field("tempo").interval((double) TEMPO_BUCKET_BPM).minDocCount(1)));
        }
        SearchResponse<SearchDocument> response = client.search(request.build(), SearchDocument.class);
        List<Hit<SearchDocument>> hits = response.hits().hits();
        boolean more = hits.size() > query.pageSize();
        List<Hit<SearchDocument>> page = more ? hits.subList(0, query.pageSize()) : hits;
        List<SearchDocument> items = page.stream().map(Hit::source).toList();
        String next = more ? encodeCursor(page.get(page.size() - 1).sort()) : null;
        long total = response.hits().total() == null ? items.size() : response.hits().total().value();
        return new SearchPage(items, next, total, query.facets() ? facets(response.aggregations()) : null);
    }

    /**
     * Up to {@code k} of the account's assets nearest to {@code assetId} by {@link FeatureVector} (cosine, kNN),
     * nearest first, the asset itself excluded, also restricted by the query's filters (its sort, page and cursor
     * are ignored). Empty when the account has no such asset; an empty list when it has no features yet.
     */
    public Optional<List<SimilarAsset>> similarTo(SearchQuery filters, String assetId, int k) throws IOException {
        if (k < 1 || k > MAX_SIMILAR) {
            throw new IllegalArgumentException("k must be 1–" + MAX_SIMILAR + ": " + k);
        }
        Optional<SearchDocument> anchor = find(filters.accountId(), assetId);
        if (anchor.isEmpty()) {
            return Optional.empty();
        }
        float[] features = anchor.get().features();
        if (features == null) {
            return Optional.of(List.of());
        }
        List<Float> vector = new ArrayList<>(features.length);
        for (float f : features) {
            vector.add(f);
        }
        Query restrict = Query.of(q -> q.bool(b -> b.filter(filters(filters)).mustNot(m -> m.ids(i -> i.values(assetId)))));
        SearchResponse<SearchDocument> response = client.search(s -> s.index(index.alias())
                .knn(n -> n.field("features").queryVector(vector).k(k).numCandidates(Math.max(100, 10 * k)).filter(restrict))
                .size(k)
                .source(src -> src.filter(f -> f.excludes(List.of(LIST_EXCLUDES)))), SearchDocument.class);
        List<SimilarAsset> similar = new ArrayList<>();
        for (Hit<SearchDocument> hit : response.hits().hits()) {
            similar.add(new SimilarAsset(hit.source(), hit.score() == null ? 0 : hit.score()));
        }
        return Optional.of(similar);
    }

    /** The account filter and every filter the query sets. */
    private static Query filters(SearchQuery q) {
        List<Query> filters = new ArrayList<>();
        filters.add(term("account_id", q.accountId()));
        if (q.key() != null) {
            filters.add(term("key", q.key()));
        }
        if (q.mode() != null) {
            filters.add(term("mode", q.mode()));
        }
        addRange(filters, "tempo", q.tempo());
        addRange(filters, "integrated_lufs", q.loudness());
        addRange(filters, "duration", q.duration());
        if (q.filename() != null && !q.filename().isBlank()) {
            String pattern = "*" + q.filename().replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?") + "*";
            filters.add(Query.of(x -> x.wildcard(w -> w.field("filename").value(pattern).caseInsensitive(true))));
        }
        if (q.createdFrom() != null || q.createdTo() != null) {
            filters.add(Query.of(x -> x.range(r -> r.date(d -> {
                d.field("created_at");
                if (q.createdFrom() != null) {
                    d.gte(q.createdFrom().toString());
                }
                if (q.createdTo() != null) {
                    d.lte(q.createdTo().toString());
                }
                return d;
            }))));
        }
        return Query.of(x -> x.bool(b -> b.filter(filters)));
    }

    private static Query term(String field, String value) {
        return Query.of(x -> x.term(t -> t.field(field).value(value)));
    }

    private static void addRange(List<Query> filters, String field, SearchQuery.Range range) {
        if (range == null || range.min() == null && range.max() == null) {
            return;
        }
        filters.add(Query.of(x -> x.range(r -> r.number(n -> {
            n.field(field);
            if (range.min() != null) {
                n.gte(range.min());
            }
            if (range.max() != null) {
                n.lte(range.max());
            }
            return n;
        }))));
    }

    private static SearchPage.Facets facets(Map<String, Aggregate> aggregations) {
        Map<String, Long> keys = new LinkedHashMap<>();
        aggregations.get("keys").sterms().buckets().array().forEach(b -> keys.put(b.key().stringValue(), b.docCount()));
        Map<String, Long> modes = new LinkedHashMap<>();
        aggregations.get("modes").sterms().buckets().array().forEach(b -> modes.put(b.key().stringValue(), b.docCount()));
        List<SearchPage.Bucket> tempo = new ArrayList<>();
        aggregations.get("tempo").histogram().buckets().array()
                .forEach(b -> tempo.add(new SearchPage.Bucket(b.key(), b.key() + TEMPO_BUCKET_BPM, b.docCount())));
        return new SearchPage.Facets(keys, modes, tempo);
    }

    /** The last hit's sort values as an opaque URL-safe token. */
    static String encodeCursor(List<FieldValue> sortValues) {
        ArrayNode array = SearchDocumentJson.MAPPER.createArrayNode();
        for (FieldValue v : sortValues) {
            if (v.isLong()) {
                array.add(v.longValue());
            } else if (v.isDouble()) {
                array.add(v.doubleValue());
            } else if (v.isString()) {
                array.add(v.stringValue());
            } else if (v.isBoolean()) {
                array.add(v.booleanValue());
            } else {
                array.addNull();
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(array.toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<FieldValue> decodeCursor(String cursor) {
        JsonNode array;
        try {
            array = SearchDocumentJson.MAPPER.readTree(Base64.getUrlDecoder().decode(cursor));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
        if (array == null || !array.isArray() || array.size() != 2) {
            throw new IllegalArgumentException("invalid cursor");
        }
        List<FieldValue> values = new ArrayList<>();
        for (JsonNode v : array) {
            if (v.isIntegralNumber()) {
                values.add(FieldValue.of(v.longValue()));
            } else if (v.isNumber()) {
                values.add(FieldValue.of(v.doubleValue()));
            } else if (v.isTextual()) {
                values.add(FieldValue.of(v.textValue()));
            } else if (v.isBoolean()) {
                values.add(FieldValue.of(v.booleanValue()));
            } else if (v.isNull()) {
                values.add(FieldValue.NULL);
            } else {
                throw new IllegalArgumentException("invalid cursor");
            }
        }
        return values;
    }
}
