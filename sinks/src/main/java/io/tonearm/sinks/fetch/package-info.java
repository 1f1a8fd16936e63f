/**
 * Fetching URLs on a client's behalf without letting the client reach internal services (SSRF defence). No HTTP
 * server code here: the API and the pipeline share this one implementation.
 *
 * <p>Wiring:
 * <ul>
 *   <li>{@code POST /v1/assets} with {@code method=url}: {@code fetcher.fetchToFile(UrlPolicy.parseUri(url), tmp)}
 *       (or {@code fetch(uri, sink)} into the hashing blob writer);</li>
 *   <li>the stream endpoint's {@code audio-url} header: {@code try (FetchedBody b = fetcher.open(uri)) { decode
 *       b.stream() }};</li>
 *   <li>the pipeline's Kafka ingestion ({@code IngestCommandJob}): {@code fetcher.open(uri)} streamed into the blob
 *       store;</li>
 *   <li>webhooks: {@code policy.check(uri)} when a destination is registered, {@code fetcher.post(...)} to
 *       deliver (which vets again: DNS may have changed since registration).</li>
 * </ul>
 * Every refusal is a {@link io.tonearm.sinks.fetch.UrlImportException} whose
 * {@link io.tonearm.sinks.fetch.UrlImportError} gives a stable {@code code()} and an {@code httpStatus()}.
 * Operators admit internal hosts through {@link io.tonearm.sinks.fetch.AllowList}.
 */
package io.tonearm.sinks.fetch;
