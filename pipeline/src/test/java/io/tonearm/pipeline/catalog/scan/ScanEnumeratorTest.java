package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan's enumerator driven one listing at a time over a real folder: a file is emitted only when two consecutive
 * listings agree on its size and mtime, and a file pending at a checkpoint is emitted by the first listing after
 * the restore; a whole-second mtime (an object store's) is taken only once it is old enough that a same-size rewrite
 * would show as a new mtime.
 */
class ScanEnumeratorTest {

    @TempDir
    Path catalog;
    private final List<MockSplitEnumeratorContext<FileSourceSplit>> contexts = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (MockSplitEnumeratorContext<FileSourceSplit> c : contexts) c.close();
    }

    @Test
    void aGrowingFileIsEmittedOnceWhenItStopsChanging() throws Throwable {
        Scan scan = new Scan(ScanState.empty());
        Path file = catalog.resolve("copying.wav");
        Files.write(file, new byte[1000]);

        scan.list();
        Files.write(file, new byte[1000], StandardOpenOption.APPEND);
        scan.list();
        assertThat(scan.emitted()).as("seen twice, but grown in between").isEmpty();

        scan.list();
        assertThat(scan.emitted()).singleElement().satisfies(s -> {
            assertThat(s.path().getName()).isEqualTo("copying.wav");
            assertThat(s.fileSize()).as("its final size").isEqualTo(2000);
        });
        scan.list();
        assertThat(scan.emitted()).as("unchanged: not again").hasSize(1);
        assertThat(scan.state().pending()).isEmpty();
    }

    @Test
    void aChangedFileWaitsOneListingToo() throws Throwable {
        Scan scan = new Scan(ScanState.empty());
        Path file = catalog.resolve("a.flac");
        Files.write(file, new byte[10]);
        scan.list();
        scan.list();
        assertThat(scan.emitted()).hasSize(1);

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        scan.list();
        assertThat(scan.emitted()).hasSize(1);
        scan.list();
        assertThat(scan.emitted()).hasSize(2);
    }

    @Test
    void aFilePendingAtACheckpointIsEmittedByTheFirstListingAfterTheRestore() throws Throwable {
        Scan before = new Scan(ScanState.empty());
        Files.write(catalog.resolve("b.wav"), new byte[10]);
        before.list();
        ScanStateSerializer serializer = new ScanStateSerializer();
        ScanState saved = serializer.deserialize(serializer.getVersion(), serializer.serialize(before.state()));
        assertThat(saved.pending()).containsOnlyKeys(catalog.resolve("b.wav").toUri().toString().replace("file:///", "file:/"));

        Scan restored = new Scan(saved);
        restored.list();
        assertThat(restored.emitted()).singleElement().satisfies(s -> assertThat(s.path().getName()).isEqualTo("b.wav"));

        Scan fresh = new Scan(ScanState.empty());
        fresh.list();
        assertThat(fresh.emitted()).as("without the pending entry it would wait one more listing").isEmpty();
    }

    @Test
    void aFileDeletedWhilePendingIsForgotten() throws Throwable {
        Scan scan = new Scan(ScanState.empty());
        Path file = catalog.resolve("gone.wav");
        Files.write(file, new byte[10]);
        scan.list();
        Files.delete(file);
        scan.list();
        assertThat(scan.state().pending()).isEmpty();
        assertThat(scan.emitted()).isEmpty();
    }

    @Test
    void aWholeSecondMtimeIsTakenOnlyOnceASameSizeRewriteWouldShowAsANewerOne() throws Throwable {
        long t = 1_795_254_195_000L; // as S3 lists it: whole seconds
        AtomicLong now = new AtomicLong(t + 300);
        List<FileSourceSplit> objects = new ArrayList<>(List.of(object("a.wav", 100, t)));
        Scan scan = new Scan(ScanState.empty(), (paths, n) -> List.copyOf(objects), now::get);

        scan.list();
        now.set(t + 600);
        scan.list();
        assertThat(scan.emitted()).as("two listings agree, but within the second a rewrite could still hide").isEmpty();
        now.set(t + ScanEnumerator.COARSE_SETTLE_MILLIS - 1);
        scan.list();
        assertThat(scan.emitted()).as("clocks may differ by a second").isEmpty();
        now.set(t + ScanEnumerator.COARSE_SETTLE_MILLIS);
        scan.list();
        assertThat(scan.emitted()).singleElement().satisfies(s -> assertThat(s.fileModificationTime()).isEqualTo(t));

        // any write after that carries a later second, so a same-size rewrite is a change
        objects.set(0, object("a.wav", 100, t + 3000));
        now.set(t + 3100);
        scan.list();
        now.set(t + 5000);
        scan.list();
        assertThat(scan.emitted()).hasSize(2);
    }

    @Test
    void finerMtimesAndMtimesFarInTheFutureAreNotDelayed() throws Throwable {
        long t = 1_795_254_195_000L;
        List<FileSourceSplit> objects = List.of(object("local.wav", 100, t + 123),
                object("touched.wav", 100, t + ScanEnumerator.FUTURE_MILLIS + 1000));
        Scan scan = new Scan(ScanState.empty(), (paths, n) -> objects, () -> t + 200);
        scan.list();
        scan.list();
        assertThat(scan.emitted()).extracting(s -> s.path().getName()).containsExactlyInAnyOrder("local.wav", "touched.wav");
    }

    private static FileSourceSplit object(String name, long size, long mtime) {
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path("s3://catalog/music/" + name);
        return new FileSourceSplit(name, path, 0, size, mtime, size);
    }

    /** One enumerator, with one reader, whose listings run when the test says. */
    private final class Scan {
        final MockSplitEnumeratorContext<FileSourceSplit> context = new MockSplitEnumeratorContext<>(1);
        final ScanEnumerator enumerator;

        /**
         * Over the test's folder; its clock an hour ahead, so that no file's mtime is recent enough to wait for
         * (the whole-second rule has its own tests).
         */
        Scan(ScanState state) {
            this(state, new AudioFileLister(new org.apache.flink.core.fs.Path(catalog.toUri())),
                    () -> System.currentTimeMillis() + 3_600_000);
        }

        Scan(ScanState state, FileEnumerator lister, LongSupplier clock) {
            contexts.add(context);
            context.registerReader(new ReaderInfo(0, "localhost"));
            org.apache.flink.core.fs.Path root = new org.apache.flink.core.fs.Path(catalog.toUri());
            enumerator = new ScanEnumerator(context, root, lister, 60_000, state, clock);
            enumerator.start();
        }

        void list() throws Throwable {
            context.runPeriodicCallable(0);
        }

        List<FileSourceSplit> emitted() {
            return context.getSplitsAssignmentSequence().stream().map(SplitsAssignment::assignment)
                    .flatMap(a -> a.values().stream()).flatMap(List::stream).toList();
        }

        ScanState state() {
            return enumerator.snapshotState(1);
        }
    }
}
