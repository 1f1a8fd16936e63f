package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;
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
import java.util.function.LongSupplier;

/**
 * Lists the directory every interval (on the coordinator's I/O thread) and compares each file's size and
 * modification time with the version last emitted. A new or changed file is first only <i>pending</i>: it becomes a
 * split (one file, no bytes read, handed round-robin to the readers) when the next listing sees the same size and
 * mtime, so a file still being copied in is not registered truncated; that costs one interval of latency. A file
 * that disappears is forgotten, so if it comes back it is emitted again (registration then finds its bytes known
 * and does nothing new).
 *
 * <p><b>Whole-second modification times.</b> Object stores report an object's time to the second (S3's
 * {@code LastModified}; also coarse file systems): an object overwritten with bytes of the same size within the same
 * second as the version already taken would look unchanged forever. So a version whose mtime is a whole second is
 * taken only by a listing that started {@link #COARSE_SETTLE_MILLIS} or more after it (the end of that second, plus a
 * second for the store's and this JVM's clocks to differ): any later write then carries a later mtime, and the bytes
 * read at registration are the version's last. Finer mtimes (local disks) are not delayed; neither are whole-second
 * mtimes more than {@link #FUTURE_MILLIS} ahead of this clock (a file touched into the future is not a fresh write,
 * and waiting for it could take years).
 */
final class ScanEnumerator implements SplitEnumerator<FileSourceSplit, ScanState> {

    private static final Logger LOG = LoggerFactory.getLogger(ScanEnumerator.class);
    static final long COARSE_SETTLE_MILLIS = 2_000;
    static final long FUTURE_MILLIS = 60_000;

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final Path root;
    private final FileEnumerator lister;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final Map<String, FileVersion> known;
    private final Map<String, FileVersion> pending;
    private final ArrayDeque<FileSourceSplit> unassigned;
    private int nextReader;

    ScanEnumerator(SplitEnumeratorContext<FileSourceSplit> context, Path root, FileEnumerator lister,
                   long intervalMillis, ScanState restored) {
        this(context, root, lister, intervalMillis, restored, System::currentTimeMillis);
    }

    ScanEnumerator(SplitEnumeratorContext<FileSourceSplit> context, Path root, FileEnumerator lister,
                   long intervalMillis, ScanState restored, LongSupplier clock) {
        this.context = context;
        this.clock = clock;
        this.root = root;
        this.lister = lister;
        this.intervalMillis = intervalMillis;
        this.known = new HashMap<>(restored.known());
        this.pending = new HashMap<>(restored.pending());
        this.unassigned = new ArrayDeque<>(restored.unassigned());
    }

    @Override
    public void start() {
        context.callAsync(() -> {
            long startedAt = clock.getAsLong();
            return new Listing(startedAt, lister.enumerateSplits(new Path[]{root}, 1));
        }, this::listed, 0, intervalMillis);
    }

    /** The files a listing found, and when it started (this JVM's clock). */
    private record Listing(long startedAt, Collection<FileSourceSplit> files) {
    }

    private void listed(Listing listing, Throwable error) {
        if (error != null) {
            // A missing or unreachable directory is retried at the next interval, not a job failure.
            LOG.warn("catalog scan of {} failed: {}{}", root, error.toString(), hint(error));
            return;
        }
        Set<String> present = new HashSet<>();
        for (FileSourceSplit f : listing.files()) {
            String uri = f.path().toUri().toString();
            present.add(uri);
            FileVersion version = new FileVersion(f.fileSize(), f.fileModificationTime());
            if (version.equals(known.get(uri))) {
                pending.remove(uri);
            } else if (version.equals(pending.get(uri)) && settled(version, listing.startedAt())) {
                // the previous listing saw this very size and mtime: unchanged for an interval, taken as complete
                pending.remove(uri);
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

    /** What to do about a scheme no file system serves (s3:// on a Flink without its S3 plugin). */
    private static String hint(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedFileSystemSchemeException) {
                return " (this Flink has no file system for that scheme: for s3:// enable the flink-s3-fs-presto"
                        + " plugin and set s3.endpoint, s3.access-key, s3.secret-key in its configuration)";
            }
        }
        return "";
    }

    /** False while a whole-second mtime is too recent to tell this version from a same-size rewrite (class doc). */
    static boolean settled(FileVersion version, long listedAt) {
        long mtime = version.modifiedAt();
        boolean wholeSecond = mtime % 1000 == 0;
        return !wholeSecond || mtime <= listedAt - COARSE_SETTLE_MILLIS || mtime > listedAt + FUTURE_MILLIS;
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
