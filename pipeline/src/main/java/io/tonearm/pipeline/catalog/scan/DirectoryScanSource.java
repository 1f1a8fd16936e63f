package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.time.Duration;
import java.util.Objects;

/**
 * An unbounded source of the audio files under a directory (any URI Flink's file systems read), each emitted when
 * it appears and again whenever its size or modification time changes, once two consecutive listings agree on both
 * (a file still being copied in waits); never its bytes (the registration step streams them into the blob store).
 * <p>
 * Why not {@code FileSource.monitorContinuously}: its enumerator remembers every path it has processed and never
 * emits the same path again, so a rewritten file would be missed. This source reuses flink-connector-files'
 * recursive lister ({@link AudioFileLister}: any file system, hidden files skipped) and its split
 * type and serializer, but keeps path → (size, mtime) in its own checkpointed, versioned state
 * ({@link ScanStateSerializer}), so it knows a changed file from an unchanged one. Only audio extensions are
 * listed.
 */
public final class DirectoryScanSource implements Source<ScannedFile, FileSourceSplit, ScanState> {

    private final String root;
    private final long intervalMillis;

    public DirectoryScanSource(String root, Duration interval) {
        this.root = Objects.requireNonNull(root, "root");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("scan interval must be positive");
        }
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<FileSourceSplit, ScanState> createEnumerator(SplitEnumeratorContext<FileSourceSplit> context) {
        return restoreEnumerator(context, ScanState.empty());
    }

    @Override
    public SplitEnumerator<FileSourceSplit, ScanState> restoreEnumerator(SplitEnumeratorContext<FileSourceSplit> context,
                                                                          ScanState state) {
        return new ScanEnumerator(context, new Path(root), new AudioFileLister(new Path(root)), intervalMillis, state);
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return FileSourceSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ScanState> getEnumeratorCheckpointSerializer() {
        return new ScanStateSerializer();
    }

    @Override
    public SourceReader<ScannedFile, FileSourceSplit> createReader(SourceReaderContext readerContext) {
        return new ScanReader();
    }
}
