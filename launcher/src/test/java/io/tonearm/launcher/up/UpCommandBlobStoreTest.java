package io.tonearm.launcher.up;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code tonearm up --blob-store}: a directory or an s3:// location; one that cannot work is a usage error. */
class UpCommandBlobStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void theDefaultIsTheDataDirsBlobsFolder() {
        assertThat(config().blobStore()).isEqualTo(dataDir.resolve("blobs").toString());
    }

    @Test
    void aDirectoryBecomesAbsoluteAndAnS3LocationIsKeptAsGiven() {
        assertThat(config("--blob-dir", "rel/blobs").blobStore()).isEqualTo(Path.of("rel/blobs").toAbsolutePath().toString());
        String s3 = "s3://tonearm-blobs/prod?endpoint=https://minio.internal:9000";
        assertThat(config("--blob-store", s3).blobStore()).isEqualTo(s3);
    }

    @Test
    void aLocationThatCannotWorkIsAUsageErrorBeforeAnythingStarts() {
        for (String bad : new String[] {"ftp://files/blobs", "s3://key:secret@bucket", "s3://bucket/../x", "s3://b"}) {
            assertThatThrownBy(() -> config("--blob-store", bad))
                    .isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining("--blob-store: invalid blob store location")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret@"));
        }
    }

    private StackConfig config(String... args) {
        return UpCommandArgs.config(dataDir, args);
    }
}
