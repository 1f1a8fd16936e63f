package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobPathsTest {

    @Test
    void localLocationsAreReadWhereTheyAre(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.wav");
        assertThat(BlobPaths.toPath(file.toUri().toString(), "ab".repeat(32), null)).isEqualTo(file);
        assertThat(BlobPaths.toPath(file.toString(), "ab".repeat(32), null)).isEqualTo(file);
    }

    @Test
    void anObjectStoreLocationIsFetchedThroughTheJobsStoreByItsSha256(@TempDir Path dir) throws Exception {
        BlobStore store = new FileSystemBlobStore(dir);
        StoredBlob blob = store.put(new ByteArrayInputStream(new byte[] {1, 2, 3}), 100);

        assertThat(BlobPaths.toPath("s3://blobs/p/" + blob.sha256(), blob.sha256(), store)).isEqualTo(store.localFile(blob.sha256()));
        assertThatThrownBy(() -> BlobPaths.toPath("s3://blobs/p/" + "cd".repeat(32), "cd".repeat(32), store))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void withoutAStoreAnObjectStoreLocationIsAClearError() {
        assertThatThrownBy(() -> BlobPaths.toPath("s3://blobs/p/" + "ab".repeat(32), "ab".repeat(32), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no blob store");
    }
}
