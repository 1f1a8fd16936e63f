package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.sinks.blobs.BlobStore;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Turns a blob location from an asset event or the blobs table into a local file the decoder can open. A
 * {@code file:} URI or an absolute path is read where it is (a directory the API shares with the job); any other
 * location ({@code s3://…}) is fetched through the job's blob store by the blob's SHA-256, into its local cache.
 * Content addressing makes the name enough: whichever copy the store holds has exactly these bytes, and the store
 * checks that on download.
 */
final class BlobPaths {

    private BlobPaths() {
    }

    /**
     * @param store the job's blob store, or null when it has none (then only local locations are readable)
     * @throws IllegalArgumentException a location this job cannot read
     * @throws IOException              the store could not deliver the bytes (unreachable, missing)
     */
    static Path toPath(String location, String sha256, BlobStore store) throws IOException {
        if (location.startsWith("file:")) return Path.of(URI.create(location));
        if (location.startsWith("/")) return Path.of(location);
        if (store == null) {
            throw new IllegalArgumentException("blob location " + location + " is not a local file and the analysis job has"
                    + " no blob store to fetch it from (its blob-store argument, e.g. s3://BUCKET/PREFIX)");
        }
        return store.localFile(sha256);
    }
}
