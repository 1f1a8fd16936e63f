package io.tonearm.pipeline.analysis.coordinator;

import java.net.URI;
import java.nio.file.Path;

/**
 * Turns a blob location from an asset event or the blobs table into a local path. Only {@code file:} URIs and
 * absolute paths are readable today; an object-store location fails the request with a clear reason.
 */
final class BlobPaths {

    private BlobPaths() {
    }

    static Path toPath(String location) {
        if (location.startsWith("file:")) return Path.of(URI.create(location));
        if (location.startsWith("/")) return Path.of(location);
        throw new IllegalArgumentException("blob location " + location + " is not readable by this pipeline (file: only)");
    }
}
