package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.io.InputStatus;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Emits one {@link ScannedFile} per assigned split; the splits not yet emitted are its checkpoint. */
final class ScanReader implements SourceReader<ScannedFile, FileSourceSplit> {

    private final ArrayDeque<FileSourceSplit> splits = new ArrayDeque<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();

    @Override
    public void start() {
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ScannedFile> output) {
        FileSourceSplit split = splits.poll();
        if (split == null) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        output.collect(new ScannedFile(split.path().toUri().toString(), split.fileSize(), split.fileModificationTime()));
        return splits.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
    }

    @Override
    public List<FileSourceSplit> snapshotState(long checkpointId) {
        return List.copyOf(splits);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (!splits.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return available;
    }

    @Override
    public void addSplits(List<FileSourceSplit> added) {
        splits.addAll(added);
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
    }

    @Override
    public void close() {
    }
}
