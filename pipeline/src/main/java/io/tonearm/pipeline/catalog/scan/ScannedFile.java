package io.tonearm.pipeline.catalog.scan;

import java.io.Serializable;

/**
 * One version of a file the scan found: a new path, or a known path whose size or modification time changed.
 *
 * @param uri          the file as a Flink file-system URI ({@code file:/…}, {@code s3://…})
 * @param sizeBytes    its size when listed
 * @param modifiedAt   its modification time when listed (epoch millis)
 */
public record ScannedFile(String uri, long sizeBytes, long modifiedAt) implements Serializable {

    /** The last path segment. */
    public String filename() {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}
