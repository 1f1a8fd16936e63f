package io.tonearm.analysis.output;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where analyzers write output files. The CLI stores them in a directory, the pipeline in the blob store; both
 * content-addressed, so the same output written twice is stored once.
 */
public interface OutputStore {

    /** Starts a new output; write to {@link Output#stream()}, then {@link Output#finish()} to store it. */
    Output create(String name, String mediaType) throws IOException;

    /** One output being written. Closing without finishing discards it. */
    interface Output extends AutoCloseable {
        OutputStream stream();

        OutputRef finish() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** For runs that keep no files: analyzers that need one fail with this message. */
    OutputStore NONE = (name, mediaType) -> {
        throw new IOException("this run keeps no output files (" + name + "); give it an output directory or blob store");
    };
}
