package io.tonearm.sinks.elasticsearch;

import java.util.Objects;

/**
 * One change to the search index, the element type of {@link ElasticsearchSink}: merge a (possibly partial)
 * document into the asset's stored one, or remove the asset's document.
 *
 * <p>Both are idempotent, keyed by {@code asset_id}. A delete followed by an upsert of the same asset makes a new
 * document from the upsert alone; the pipeline must not send upserts for an asset after its deletion unless the
 * asset was created again.
 *
 * @param document the document to merge; null for a delete
 */
public record SearchAction(Type type, String assetId, SearchDocument document) {

    public enum Type { UPSERT, DELETE }

    public SearchAction {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(assetId, "assetId");
        if (type == Type.UPSERT && (document == null || !document.assetId().equals(assetId))) {
            throw new IllegalArgumentException("an upsert needs the document of asset " + assetId);
        }
        if (type == Type.DELETE && document != null) {
            throw new IllegalArgumentException("a delete carries no document");
        }
    }

    public static SearchAction upsert(SearchDocument document) {
        return new SearchAction(Type.UPSERT, document.assetId(), document);
    }

    public static SearchAction delete(String assetId) {
        return new SearchAction(Type.DELETE, assetId, null);
    }
}
