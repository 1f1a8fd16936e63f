package io.tonearm.sinks.elasticsearch;

import java.util.List;
import java.util.Map;

/**
 * One page of {@link SearchRepository#search}.
 *
 * @param items      the page's documents, in the query's order, without {@code features} and {@code chord_histogram}
 * @param nextCursor pass to {@link SearchQuery#after} for the next page; null on the last page
 * @param total      how many documents match in all
 * @param facets     counts over all matches; null unless asked for
 */
public record SearchPage(List<SearchDocument> items, String nextCursor, long total, Facets facets) {

    /**
     * @param keys  documents per key (tonic), most frequent first
     * @param modes documents per mode
     * @param tempo documents per {@value SearchRepository#TEMPO_BUCKET_BPM}-bpm tempo bucket, slowest first
     */
    public record Facets(Map<String, Long> keys, Map<String, Long> modes, List<Bucket> tempo) {
    }

    /** {@code count} documents with {@code from ≤ value < to}. */
    public record Bucket(double from, double to, long count) {
    }
}
