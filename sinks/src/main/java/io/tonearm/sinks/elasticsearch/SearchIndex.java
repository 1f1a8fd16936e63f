package io.tonearm.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search index: where {@link SearchDocument}s live and how they are mapped.
 *
 * <p>Readers and writers use the alias {@code <prefix>-search}; it points at the concrete index
 * {@code <prefix>-search-v<MAPPING_VERSION>}. A change a live index cannot take (a field's type, the vector's
 * dimensions, a new {@link FeatureVector#VERSION}) gets a new version: create the new index, re-index into it,
 * then move the alias, so readers never see a half-built index. Additive changes (new fields) are applied to the
 * existing index by {@link #apply}.
 *
 * <p>The mapping is {@code search-mappings.json} beside this class: keywords for ids, key, mode and chord labels;
 * floats for the measures; {@code created_at} a date; {@code features} a {@code dense_vector} indexed for kNN with
 * cosine similarity (plain HNSW: the vector is small, quantising it buys nothing). {@code dynamic: false}: fields
 * not in the mapping are kept in {@code _source} but not indexed.
 *
 * @param prefix   names the alias and the index, e.g. {@code tonearm}; lower case letters, digits, {@code -}, {@code _}
 * @param shards   primary shards of a newly created index
 * @param replicas replicas; 0 for a single node (else the index never turns green)
 */
public record SearchIndex(String prefix, int shards, int replicas) implements Serializable {
    public static final int MAPPING_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);
    private static final String MAPPINGS = "search-mappings.json";

    public SearchIndex {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("index prefix must be lower case letters, digits, '-' or '_': " + prefix);
        }
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be ≥ 1: " + shards);
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be ≥ 0: " + replicas);
        }
    }

    /** {@code tonearm-search}, one shard, no replica: a single node. */
    public static SearchIndex defaults() {
        return new SearchIndex("tonearm", 1, 0);
    }

    public static SearchIndex withPrefix(String prefix) {
        return new SearchIndex(prefix, 1, 0);
    }

    /** The name every read and write uses. */
    public String alias() {
        return prefix + "-search";
    }

    /** The concrete index of this mapping version. */
    public String indexName() {
        return alias() + "-v" + MAPPING_VERSION;
    }

    /**
     * Creates the index with its settings, mapping and alias if it is absent; otherwise puts the mapping (adding
     * new fields; a conflicting change fails with Elasticsearch's reason) and adds the alias if it points nowhere.
     * Safe to call at every start, from several processes at once.
     */
    public void apply(ElasticsearchClient client) throws IOException {
        String index = indexName();
        if (!client.indices().exists(e -> e.index(index)).value()) {
            try (InputStream mappings = mappings()) {
                client.indices().create(c -> c.index(index)
                        .mappings(m -> m.withJson(mappings))
                        .settings(s -> s.numberOfShards(Integer.toString(shards)).numberOfReplicas(Integer.toString(replicas)))
                        .aliases(alias(), a -> a.isWriteIndex(true)));
                LOG.info("created Elasticsearch index {} with alias {}", index, alias());
                return;
            } catch (ElasticsearchException e) {
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
                // another process created it between our check and our create: fall through to the update
            }
        }
        try (InputStream mappings = mappings()) {
            client.indices().putMapping(p -> p.index(index).withJson(mappings));
        }
        if (!client.indices().existsAlias(a -> a.name(alias())).value()) {
            client.indices().putAlias(a -> a.index(index).name(alias()).isWriteIndex(true));
            LOG.info("pointed alias {} at {}", alias(), index);
        }
    }

    private static InputStream mappings() {
        InputStream in = SearchIndex.class.getResourceAsStream(MAPPINGS);
        if (in == null) {
            throw new UncheckedIOException(new IOException(MAPPINGS + " missing from the classpath"));
        }
        return in;
    }
}
