package io.tonearm.pipeline.catalog.scan;

import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan's enumerator driven one listing at a time over a real folder: a file is emitted only when two consecutive
 * listings agree on its size and mtime, and a file pending at a checkpoint is emitted by the first listing after
 * the restore.
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

    /** One enumerator over the test's folder, with one reader, whose listings run when the test says. */
    private final class Scan {
        final MockSplitEnumeratorContext<FileSourceSplit> context = new MockSplitEnumeratorContext<>(1);
        final ScanEnumerator enumerator;

        Scan(ScanState state) {
            contexts.add(context);
            context.registerReader(new ReaderInfo(0, "localhost"));
            org.apache.flink.core.fs.Path root = new org.apache.flink.core.fs.Path(catalog.toUri());
            enumerator = new ScanEnumerator(context, root, new AudioFileLister(root), 60_000, state);
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
