package io.tonearm.sinks.fetch;

import java.net.URI;

/**
 * A completed fetch: how many body bytes went to the sink, the server's Content-Type (null when absent), the
 * URL that finally answered, and how many redirects led there.
 */
public record FetchResult(long bytes, String contentType, URI finalUrl, int redirects) {
}
