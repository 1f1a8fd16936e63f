/**
 * Search over a catalog's analysis results in Elasticsearch.
 *
 * <ul>
 *   <li>{@link io.tonearm.sinks.elasticsearch.SearchDocument}: one document per asset, built from the asset's facts
 *       and its analysis results by analyzer name; partial documents merge.</li>
 *   <li>{@link io.tonearm.sinks.elasticsearch.FeatureVector}: the versioned vector behind "similar to".</li>
 *   <li>{@link io.tonearm.sinks.elasticsearch.SearchIndex}: index name, alias, mapping, applied idempotently.</li>
 *   <li>{@link io.tonearm.sinks.elasticsearch.ElasticsearchSink}: the Flink sink of
 *       {@link io.tonearm.sinks.elasticsearch.SearchAction}s (upsert / delete), with its delivery guarantee.</li>
 *   <li>{@link io.tonearm.sinks.elasticsearch.SearchRepository}: account-scoped queries, facets, pagination and kNN
 *       for the API, with {@link io.tonearm.sinks.elasticsearch.SearchQuery} and
 *       {@link io.tonearm.sinks.elasticsearch.SearchPage}.</li>
 *   <li>{@link io.tonearm.sinks.elasticsearch.ElasticsearchConnection}: the client and the threads to close.</li>
 * </ul>
 * Flink classes are used only by the sink and are a provided dependency: the API can use the rest without Flink.
 */
package io.tonearm.sinks.elasticsearch;
