package io.tonearm.sinks.blobs;

import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.output.OutputStore;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Analyzer outputs (stems, mastered audio, MIDI) stored in the content-addressed {@link BlobStore}, the same store
 * uploads live in. An output is spooled to a temporary file, then put into the store (hashed on the way, moved into
 * place atomically, or uploaded: an object store's PUT is durable when it returns) and its local copy forced to disk
 * before {@link Output#finish()} returns its reference: the result row that names it is emitted only after that, so a
 * result never references bytes a crash could lose. Idempotent: a replay
 * after a failover writes the same bytes and finds the same blob.
 *
 * <p>Writes past {@code deadlineNanos} ({@link System#nanoTime()}) fail with {@link BudgetExceededException}, which
 * stops an analyzer that writes its output progressively (separation, mastering) when its time budget is spent.
 */
public final class BlobOutputStore implements OutputStore {

    private final BlobStore store;
    private final long deadlineNanos;

    public BlobOutputStore(BlobStore store, long deadlineNanos) {
        this.store = store;
        this.deadlineNanos = deadlineNanos;
    }

    /** Without a time budget (the API's test stand-in for the pipeline). */
    public BlobOutputStore(BlobStore store) {
        this(store, System.nanoTime() + java.util.concurrent.TimeUnit.DAYS.toNanos(36_500));
    }

    @Override
    public Output create(String name, String mediaType) throws IOException {
        Path spool = Files.createTempFile("tonearm-output-", ".part");
        OutputStream out = new Deadlined(new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16));
        return new Output() {
            private boolean closed;

            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public OutputRef finish() throws IOException {
                out.close();
                try (InputStream in = Files.newInputStream(spool)) {
                    StoredBlob blob = store.put(in, Long.MAX_VALUE);
                    forceToDisk(blob.sha256());
                    return new OutputRef(name, mediaType, blob.sha256(), blob.sizeBytes(), blob.location().toString());
                } finally {
                    close();
                }
            }

            @Override
            public void close() throws IOException {
                if (closed) return;
                closed = true;
                try {
                    out.close();
                } finally {
                    Files.deleteIfExists(spool);
                }
            }
        };
    }

    /** fsync of the blob and its directory, when the store keeps it on a local disk. */
    private void forceToDisk(String sha256) throws IOException {
        Path file = store.localFile(sha256);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some filesystems refuse to open a directory for fsync; the file itself is on disk
        }
    }

    /** Thrown by writes after the analyzer's time budget is spent. */
    public static final class BudgetExceededException extends IOException {
        BudgetExceededException() {
            super("time budget exceeded while writing the output");
        }
    }

    private final class Deadlined extends FilterOutputStream {
        Deadlined(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            out.write(b, off, len);
        }

        @Override
        public void write(int b) throws IOException {
            check();
            out.write(b);
        }

        private void check() throws IOException {
            if (System.nanoTime() - deadlineNanos > 0) throw new BudgetExceededException();
        }
    }
}
