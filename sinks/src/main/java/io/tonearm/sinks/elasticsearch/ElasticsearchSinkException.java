package io.tonearm.sinks.elasticsearch;

import java.io.IOException;

/** Writing to Elasticsearch failed for good: retries ran out on a failure that might have passed. */
public final class ElasticsearchSinkException extends IOException {
    public ElasticsearchSinkException(String message) {
        super(message);
    }

    public ElasticsearchSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
