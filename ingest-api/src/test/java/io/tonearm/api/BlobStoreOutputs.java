package io.tonearm.api;

import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.StoredBlob;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * For {@link PipelineStandIn}: analyzer outputs into the API's blob store, as the pipeline's BlobOutputStore puts
 * them there (which this module cannot use: it lives with Flink). Small test files only: buffered in memory.
 */
public final class BlobStoreOutputs implements OutputStore {

    private final BlobStore store;

    public BlobStoreOutputs(BlobStore store) {
        this.store = store;
    }

    @Override
    public Output create(String name, String mediaType) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        return new Output() {
            @Override
            public OutputStream stream() {
                return bytes;
            }

            @Override
            public OutputRef finish() throws java.io.IOException {
                StoredBlob blob = store.put(new ByteArrayInputStream(bytes.toByteArray()), Long.MAX_VALUE);
                return new OutputRef(name, mediaType, blob.sha256(), blob.sizeBytes(), blob.location().toString());
            }

            @Override
            public void close() {
            }
        };
    }
}
