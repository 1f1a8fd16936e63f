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
 * modification time with the version last emitted: a new or changed file becomes a split (one file, no bytes
 * read), handed round-robin to the readers. A file that disappears is forgotten, so if it comes back it is
 * emitted again (registration then finds its bytes known and does nothing new).
 */
final class ScanEnumerator implements SplitEnumerator<FileSourceSplit, ScanState> {

    private static final Logger LOG = LoggerFactory.getLogger(ScanEnumerator.class);

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final Path root;
    private final FileEnumerator lister;
    private final long intervalMillis;
    private final Map<String, FileVersion> known;
    private final ArrayDeque<FileSourceSplit> pending;
    private int nextReader;

    ScanEnumerator(SplitEnumeratorContext<FileSourceSplit> context, Path root, FileEnumerator lister,
                   long intervalMillis, ScanState restored) {
        this.context = context;
        this.root = root;
        this.lister = lister;
        this.intervalMillis = intervalMillis;
        this.known = new HashMap<>(restored.known());
        this.pending = new ArrayDeque<>(restored.pending());
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
            if (!version.equals(known.get(uri))) {
                known.put(uri, version);
                pending.add(new FileSourceSplit(uri + "@" + version.modifiedAt() + ":" + version.sizeBytes(), f.path(),
                        0, f.fileSize(), f.fileModificationTime(), f.fileSize()));
            }
        }
        known.keySet().retainAll(present);
        assignPending();
    }

    private void assignPending() {
        List<Integer> readers = new ArrayList<>(context.registeredReaders().keySet());
        if (readers.isEmpty()) {
            return;
        }
        readers.sort(null);
        while (!pending.isEmpty()) {
            int reader = readers.get(Math.floorMod(nextReader++, readers.size()));
            context.assignSplit(pending.poll(), reader);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed as they are found.
    }

    @Override
    public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
        pending.addAll(splits);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public ScanState snapshotState(long checkpointId) {
        return new ScanState(known, List.copyOf(pending));
    }

    @Override
    public void close() {
    }
}
