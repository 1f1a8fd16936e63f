package io.tonearm.sinks.blobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract on a directory, and the filesystem store's own layout. */
class FileSystemBlobStoreTest extends BlobStoreContractTest {

    @TempDir
    Path root;

    @Override
    BlobStore newStore() throws IOException {
        return new FileSystemBlobStore(root);
    }

    @Override
    List<String> storedBlobs() throws IOException {
        return files(root).stream().filter(p -> !p.startsWith(root.resolve("tmp"))).map(Path::toString).toList();
    }

    @Override
    List<String> leftovers() throws IOException {
        return files(root.resolve("tmp")).stream().map(Path::toString).toList();
    }

    @Override
    BlobStore unavailableStore(byte[] stored) throws IOException {
        FileSystemBlobStore store = new FileSystemBlobStore(root.resolve("gone"));
        store.put(new ByteArrayInputStream(stored), Long.MAX_VALUE);
        try (Stream<Path> s = Files.walk(root.resolve("gone"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return store;
    }

    @Test
    void storesByHashPrefixAsAFileUri() throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(root);
        byte[] bytes = random(200_000, 1);
        String sha = sha256(bytes);

        StoredBlob blob = store.put(new ByteArrayInputStream(bytes), 1_000_000);

        Path expected = root.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
        assertThat(Path.of(blob.location())).isEqualTo(expected);
        assertThat(store.localFile(sha)).isEqualTo(expected);
        assertThat(Files.readAllBytes(expected)).isEqualTo(bytes);
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
