package io.tonearm.api.search;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Routes;
import io.tonearm.sinks.elasticsearch.SearchPage;
import io.tonearm.sinks.elasticsearch.SearchQuery;
import io.tonearm.sinks.elasticsearch.SearchRepository;
import io.tonearm.sinks.elasticsearch.SimilarAsset;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/search}: the caller's assets by analysis fields (key, mode, tempo, loudness, duration, file name,
 * creation time), sorted and paged by cursor, with facets; or {@code similar_to} an asset, nearest first by the
 * feature vector. Reads the Elasticsearch index the pipeline's search sink fills, through the sinks module's
 * {@link SearchRepository}, which filters every query on the caller's account inside Elasticsearch.
 */
public final class SearchRoutes implements Routes.Feature {

    /** The answer; {@code facets} only when asked for. */
    record Answer(List<SearchItem> items, String nextCursor, long count,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Facets facets) {
    }

    /** Counts over every match (not only the page): keys (tonics), modes, 10-bpm tempo buckets. */
    record Facets(Map<String, Long> key, Map<String, Long> mode, List<SearchPage.Bucket> tempo) {
    }

    private final SearchBackend backend;

    public SearchRoutes(SearchBackend backend) {
        this.backend = backend;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/v1/search", "Search the caller's assets by key, mode, tempo, loudness, duration, filename, created "
                + "range; sort, cursor, facets=true; similar_to=<asset_id> (nearest first)", this::search);
    }

    private void search(Context ctx) {
        SearchParameters params = SearchParameters.parse(ctx, Caller.of(ctx).accountId());
        SearchRepository repository = backend.repository();
        try {
            ctx.json(params.similarTo() == null ? page(repository, params.query()) : similar(repository, params));
        } catch (IOException e) {
            throw SearchBackend.unreachable(e);
        }
    }

    private static Answer page(SearchRepository repository, SearchQuery query) throws IOException {
        SearchPage page;
        try {
            page = repository.search(query);
        } catch (IllegalArgumentException e) {
            throw SearchCursor.invalid(); // the repository judges the cursor's content
        } catch (ElasticsearchException e) {
            if (query.cursor() != null && e.status() == 400) {
                throw SearchCursor.invalid(); // well-formed, but values Elasticsearch cannot compare with this sort
            }
            throw e;
        }
        SearchPage.Facets f = page.facets();
        return new Answer(page.items().stream().map(d -> SearchItem.of(d, null)).toList(),
                SearchCursor.encode(page.nextCursor(), query), page.total(),
                f == null ? null : new Facets(f.keys(), f.modes(), f.tempo()));
    }

    private static Answer similar(SearchRepository repository, SearchParameters params) throws IOException {
        List<SimilarAsset> similar = repository.similarTo(params.query(), params.similarTo(), params.query().pageSize())
                .orElseThrow(() -> ApiException.notFound("asset " + params.similarTo()));
        return new Answer(similar.stream().map(s -> SearchItem.of(s.document(), s.score())).toList(), null,
                similar.size(), null);
    }
}
