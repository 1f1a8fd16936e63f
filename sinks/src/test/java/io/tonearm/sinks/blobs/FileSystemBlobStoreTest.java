package io.tonearm.sinks.blobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemBlobStoreTest {

    @Test
    void storesByHashPrefixAndKeepsOneCopyOfEqualBytes(@TempDir Path root) throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(root);
        byte[] bytes = random(200_000, 1);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        StoredBlob first = store.put(new ByteArrayInputStream(bytes), 1_000_000);
        StoredBlob second = store.put(new ByteArrayInputStream(bytes), 1_000_000);

        assertThat(first).isEqualTo(second);
        assertThat(first.sha256()).isEqualTo(sha);
        assertThat(first.sizeBytes()).isEqualTo(bytes.length);
        Path expected = root.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
        assertThat(Path.of(first.location())).isEqualTo(expected);
        assertThat(Files.readAllBytes(expected)).isEqualTo(bytes);
        assertThat(files(root)).containsExactly(expected);
    }

    @Test
    void concurrentPutsOfTheSameBytesEndWithOneIntactFile(@TempDir Path root) throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(root);
        byte[] bytes = random(2_000_000, 2);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<StoredBlob>> puts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                puts.add(pool.submit(() -> store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE)));
            }
            for (Future<StoredBlob> p : puts) {
                assertThat(Files.readAllBytes(store.localFile(p.get().sha256()))).isEqualTo(bytes);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(files(root)).hasSize(1);
    }

    @Test
    void tooLargeOrEmptyContentLeavesNothingBehind(@TempDir Path root) throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(root);

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(random(10_001, 3)), 10_000))
                .isInstanceOf(BlobStore.TooLargeException.class);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(new byte[0]), 10_000))
                .isInstanceOf(BlobStore.EmptyException.class);

        assertThat(files(root)).isEmpty();
        assertThat(store.isHealthy()).isTrue();
    }

    @Test
    void refusesNamesThatAreNotHashes(@TempDir Path root) throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(root);
        assertThatThrownBy(() -> store.pathOf("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.exists("ab".repeat(32))).isFalse();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
