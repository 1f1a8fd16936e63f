package io.tonearm.sinks.elasticsearch;

/**
 * A neighbour found by {@link SearchRepository#similarTo}.
 *
 * @param score Elasticsearch's cosine score, {@code (1 + cosine) / 2}: 1 for the same features, 0 for opposite
 */
public record SimilarAsset(SearchDocument document, double score) {
}
