package io.tonearm.sinks.blobs;

import java.net.URI;

/**
 * Bytes in the blob store.
 *
 * @param sha256    lower-case hex SHA-256, the blob's identity
 * @param sizeBytes its size
 * @param location  where it lives ({@code file:…}, {@code s3:…}); stored with the blob row and sent in events
 */
public record StoredBlob(String sha256, long sizeBytes, URI location) {
}
