package io.tonearm.sinks.blobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobStoresTest {

    @Test
    void aDirectoryOrFileUriOpensTheFilesystemStore(@TempDir Path dir) throws Exception {
        assertThat(BlobStores.open(dir.toString(), Map.of())).isInstanceOf(FileSystemBlobStore.class);
        assertThat(BlobStores.directory(dir.toUri().toString())).isEqualTo(dir);
        assertThat(BlobStores.directory("file://localhost" + dir)).isEqualTo(dir);
        assertThat(BlobStores.directory("relative/blobs")).isEqualTo(Path.of("relative/blobs").toAbsolutePath());
        assertThat(BlobStores.directory(dir + "/a/../b")).isEqualTo(dir.resolve("b"));
    }

    @Test
    void anS3LocationOpensTheS3StoreWithItsCacheFromTheEnvironment(@TempDir Path cache) throws Exception {
        BlobStore store = BlobStores.open("s3://tonearm-blobs/prod?endpoint=http://127.0.0.1:1",
                Map.of("TONEARM_BLOB_CACHE_DIR", cache.toString(), "TONEARM_BLOB_CACHE_BYTES", "512m"));

        assertThat(store).isInstanceOf(S3BlobStore.class);
        assertThat(((S3BlobStore) store).where().describe()).isEqualTo("s3://tonearm-blobs/prod/ at http://127.0.0.1:1");
        assertThat(store.toString()).contains(cache.toString());
        assertThat(cache.resolve("tmp")).isDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/blobs", "hdfs://nn/blobs", "gs://bucket/blobs", "file://otherhost/srv/blobs",
            "file:///srv/blobs?x=1", "file:relative/blobs", " ", "s3://", "S3://UPPER"})
    void otherSchemesAndBrokenLocationsAreAClearStartUpError(String location) {
        assertThatThrownBy(() -> BlobStores.open(location, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid blob store location");
    }

    @Test
    void cacheSizesAcceptUnits() {
        assertThat(BlobStores.bytes(null)).isEqualTo(4L << 30);
        assertThat(BlobStores.bytes("1048576")).isEqualTo(1L << 20);
        assertThat(BlobStores.bytes("512m")).isEqualTo(512L << 20);
        assertThat(BlobStores.bytes("2G")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> BlobStores.bytes("-1")).hasMessageContaining("TONEARM_BLOB_CACHE_BYTES");
        assertThatThrownBy(() -> BlobStores.bytes("lots")).hasMessageContaining("TONEARM_BLOB_CACHE_BYTES");
        assertThatThrownBy(() -> BlobStores.bytes("99999999999999t")).hasMessageContaining("too large");
    }
}
