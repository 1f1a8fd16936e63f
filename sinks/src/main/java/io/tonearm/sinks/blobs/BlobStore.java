package io.tonearm.sinks.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Content-addressed storage: a blob's name is the SHA-256 of its bytes, so storing the same bytes twice keeps
 * one copy. Implementations stream (never hold a whole blob in memory) and make a blob visible only once it is
 * complete: {@link FileSystemBlobStore} (a directory) and {@link S3BlobStore} (an S3 bucket), both opened by
 * {@link BlobStores#open(String)} and held to one contract by the same tests. A name that is not a lower-case hex
 * SHA-256 is an {@link IllegalArgumentException} before any storage is touched.
 */
public interface BlobStore {

    /**
     * Streams {@code in} into the store, hashing on the way.
     *
     * @param maxBytes the largest accepted size; reading stops as soon as it is passed
     * @throws TooLargeException  past {@code maxBytes} (nothing is kept)
     * @throws EmptyException     for zero bytes (nothing is kept)
     */
    StoredBlob put(InputStream in, long maxBytes) throws IOException;

    /** @throws java.io.UncheckedIOException when the store cannot be asked (never "absent" for "unreachable") */
    boolean exists(String sha256);

    /** @throws java.nio.file.NoSuchFileException when there is no such blob */
    InputStream open(String sha256) throws IOException;

    /**
     * A local file with the blob's bytes, for tools that need a path (the decoder); fetched if remote. Read it, never
     * write or move it.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such blob
     */
    Path localFile(String sha256) throws IOException;

    /** Removes a blob (callers make sure no asset references it). */
    void delete(String sha256) throws IOException;

    /** True when the store can take writes now. */
    boolean isHealthy();

    final class TooLargeException extends IOException {
        private final long limit;

        public TooLargeException(long limit) {
            super("content exceeds " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    final class EmptyException extends IOException {
        public EmptyException() {
            super("no content");
        }
    }
}
