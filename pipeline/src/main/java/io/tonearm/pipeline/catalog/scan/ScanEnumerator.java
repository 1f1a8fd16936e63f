package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists the directory every interval (on the coordinator's I/O thread) and compares each file's size and
 * modification time with the version last emitted. A new or changed file is first only <i>pending</i>: it becomes a
 * split (one file, no bytes read, handed round-robin to the readers) when the next listing sees the same size and
 * mtime, so a file still being copied in is not registered truncated; that costs one interval of latency. A file
 * that disappears is forgotten, so if it comes back it is emitted again (registration then finds its bytes known
 * and does nothing new).
 */
final class ScanEnumerator implements SplitEnumerator<FileSourceSplit, ScanState> {

    private static final Logger LOG = LoggerFactory.getLogger(ScanEnumerator.class);

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final Path root;
    private final FileEnumerator lister;
    private final long intervalMillis;
    private final Map<String, FileVersion> known;
    private final Map<String, FileVersion> pending;
    private final ArrayDeque<FileSourceSplit> unassigned;
    private int nextReader;

    ScanEnumerator(SplitEnumeratorContext<FileSourceSplit> context, Path root, FileEnumerator lister,
                   long intervalMillis, ScanState restored) {
        this.context = context;
        this.root = root;
        this.lister = lister;
        this.intervalMillis = intervalMillis;
        this.known = new HashMap<>(restored.known());
        this.pending = new HashMap<>(restored.pending());
        this.unassigned = new ArrayDeque<>(restored.unassigned());
    }

    @Override
    public void start() {
        context.callAsync(() -> lister.enumerateSplits(new Path[]{root}, 1), this::listed, 0, intervalMillis);
    }

    private void listed(Collection<FileSourceSplit> files, Throwable error) {
        if (error != null) {
            // A missing or unreachable directory is retried at the next interval, not a job failure.
            LOG.warn("catalog scan of {} failed: {}", root, error.toString());
            return;
        }
        Set<String> present = new HashSet<>();
        for (FileSourceSplit f : files) {
            String uri = f.path().toUri().toString();
            present.add(uri);
            FileVersion version = new FileVersion(f.fileSize(), f.fileModificationTime());
            if (version.equals(known.get(uri))) {
                pending.remove(uri);
            } else if (version.equals(pending.remove(uri))) {
                // the previous listing saw this very size and mtime: unchanged for an interval, taken as complete
                known.put(uri, version);
                unassigned.add(new FileSourceSplit(uri + "@" + version.modifiedAt() + ":" + version.sizeBytes(), f.path(),
                        0, f.fileSize(), f.fileModificationTime(), f.fileSize()));
            } else {
                // new, changed, or still growing: wait for the next listing
                pending.put(uri, version);
            }
        }
        known.keySet().retainAll(present);
        pending.keySet().retainAll(present);
        handOutSplits();
    }

    private void handOutSplits() {
        List<Integer> readers = new ArrayList<>(context.registeredReaders().keySet());
        if (readers.isEmpty()) {
            return;
        }
        readers.sort(null);
        while (!unassigned.isEmpty()) {
            int reader = readers.get(Math.floorMod(nextReader++, readers.size()));
            context.assignSplit(unassigned.poll(), reader);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed as they are found.
    }

    @Override
    public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        handOutSplits();
    }

    @Override
    public void addReader(int subtaskId) {
        handOutSplits();
    }

    @Override
    public ScanState snapshotState(long checkpointId) {
        return new ScanState(known, pending, List.copyOf(unassigned));
    }

    @Override
    public void close() {
    }
}
