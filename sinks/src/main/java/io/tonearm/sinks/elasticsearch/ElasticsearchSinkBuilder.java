package io.tonearm.sinks.elasticsearch;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configures an {@link ElasticsearchSink}; {@link #build()} validates everything first ({@link #sanityCheck()}),
 * so a wrong setting fails when the job is assembled, not in a task at run time.
 */
public final class ElasticsearchSinkBuilder {
    public static final int DEFAULT_BULK_FLUSH_MAX_ACTIONS = 500;
    public static final Duration DEFAULT_BULK_FLUSH_INTERVAL = Duration.ofSeconds(1);
    static final int MAX_BULK_FLUSH_MAX_ACTIONS = 10_000;

    private final List<String> hosts = new ArrayList<>();
    private SearchIndex index = SearchIndex.defaults();
    private int bulkFlushMaxActions = DEFAULT_BULK_FLUSH_MAX_ACTIONS;
    private Duration bulkFlushInterval = DEFAULT_BULK_FLUSH_INTERVAL;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private boolean applyIndexOnStart = true;

    ElasticsearchSinkBuilder() {
    }

    /** Node URLs, e.g. {@code http://127.0.0.1:9200}; required. */
    public ElasticsearchSinkBuilder setHosts(String... urls) {
        hosts.clear();
        hosts.addAll(List.of(urls));
        return this;
    }

    /** The index to write; default {@link SearchIndex#defaults()}. */
    public ElasticsearchSinkBuilder setIndex(SearchIndex index) {
        this.index = index;
        return this;
    }

    /** Send a bulk request once this many assets are buffered; 1–10000, default 500. */
    public ElasticsearchSinkBuilder setBulkFlushMaxActions(int maxActions) {
        this.bulkFlushMaxActions = maxActions;
        return this;
    }

    /**
     * Send a bulk request at the latest this long after the first buffered action; default 1 s.
     * {@link Duration#ZERO} sends only on size and at checkpoints.
     */
    public ElasticsearchSinkBuilder setBulkFlushInterval(Duration interval) {
        this.bulkFlushInterval = interval;
        return this;
    }

    /** Retries of 429/5xx/connection failures; default {@link RetryPolicy#defaults()}. */
    public ElasticsearchSinkBuilder setRetryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = retryPolicy;
        return this;
    }

    /** Whether each writer applies the index mapping ({@link SearchIndex#apply}) when it starts; default true. */
    public ElasticsearchSinkBuilder setApplyIndexOnStart(boolean apply) {
        this.applyIndexOnStart = apply;
        return this;
    }

    /** Throws {@link IllegalArgumentException} naming the first invalid setting. */
    void sanityCheck() {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no Elasticsearch host: call setHosts(\"http://host:9200\")");
        }
        for (String host : hosts) {
            URI uri;
            try {
                uri = URI.create(host);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("Elasticsearch host must be an http(s) URL: " + host, e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("Elasticsearch host must be an http(s) URL with a host: " + host);
            }
        }
        if (index == null) {
            throw new IllegalArgumentException("index must not be null");
        }
        if (bulkFlushMaxActions < 1 || bulkFlushMaxActions > MAX_BULK_FLUSH_MAX_ACTIONS) {
            throw new IllegalArgumentException("bulkFlushMaxActions must be 1–" + MAX_BULK_FLUSH_MAX_ACTIONS + ": " + bulkFlushMaxActions);
        }
        if (bulkFlushInterval == null || bulkFlushInterval.isNegative()) {
            throw new IllegalArgumentException("bulkFlushInterval must be ≥ 0: " + bulkFlushInterval);
        }
        if (retryPolicy == null) {
            throw new IllegalArgumentException("retryPolicy must not be null");
        }
    }

    public ElasticsearchSink build() {
        sanityCheck();
        return new ElasticsearchSink(hosts, index, bulkFlushMaxActions, bulkFlushInterval, retryPolicy, applyIndexOnStart);
    }
}
