package io.tonearm.sinks.blobs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link BlobStore} promises, run against each implementation ({@link FileSystemBlobStoreTest},
 * {@link S3BlobStoreTest}) on real storage: a directory, and an S3 server.
 */
abstract class BlobStoreContractTest {

    /** A store of its own for each test (fresh directory or key prefix). */
    abstract BlobStore newStore() throws IOException;

    /** Names of the blobs the store's storage holds now (files, object keys), without temporary ones. */
    abstract List<String> storedBlobs() throws IOException;

    /** Temporary files the store left (spools, parts): none once a put returned or failed. */
    abstract List<String> leftovers() throws IOException;

    /** A store whose storage is gone or unreachable (directory removed, server stopped), holding {@code sha256}. */
    abstract BlobStore unavailableStore(byte[] stored) throws IOException;

    @Test
    void putStoresTheBytesUnderTheirSha256AndEveryReadGivesThemBack() throws Exception {
        BlobStore store = newStore();
        byte[] bytes = random(300_000, 1);

        StoredBlob blob = store.put(new ByteArrayInputStream(bytes), 1_000_000);

        assertThat(blob.sha256()).isEqualTo(sha256(bytes));
        assertThat(blob.sizeBytes()).isEqualTo(bytes.length);
        assertThat(blob.location().toString()).endsWith(blob.sha256());
        assertThat(store.exists(blob.sha256())).isTrue();
        try (InputStream in = store.open(blob.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(Files.readAllBytes(store.localFile(blob.sha256()))).isEqualTo(bytes);
        assertThat(storedBlobs()).hasSize(1).allMatch(name -> name.endsWith(blob.sha256()));
        assertThat(leftovers()).isEmpty();
        assertThat(store.isHealthy()).isTrue();

        store.delete(blob.sha256());
        assertThat(store.exists(blob.sha256())).isFalse();
        assertThat(storedBlobs()).isEmpty();
        assertThatThrownBy(() -> store.open(blob.sha256())).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.localFile(blob.sha256())).isInstanceOf(NoSuchFileException.class);
        store.delete(blob.sha256()); // deleting what is gone is no error
    }

    @Test
    void tooLargeContentIsRefusedAsSoonAsItPassesTheLimitAndLeavesNothing() throws Exception {
        BlobStore store = newStore();
        CountingStream in = new CountingStream(random(200_000, 2));

        assertThatThrownBy(() -> store.put(in, 10_000))
                .isInstanceOfSatisfying(BlobStore.TooLargeException.class, e -> assertThat(e.limit()).isEqualTo(10_000));

        assertThat(in.read).as("stops reading soon after the limit").isLessThan(10_000 + 2 * 65_536);
        assertThat(storedBlobs()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void emptyContentIsRefusedAndLeavesNothing() throws Exception {
        BlobStore store = newStore();

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(new byte[0]), 10_000))
                .isInstanceOf(BlobStore.EmptyException.class);

        assertThat(storedBlobs()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void puttingTheSameBytesAgainKeepsOneCopy() throws Exception {
        BlobStore store = newStore();
        byte[] bytes = random(100_000, 3);

        StoredBlob first = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
        StoredBlob second = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);

        assertThat(second).isEqualTo(first);
        assertThat(storedBlobs()).hasSize(1);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void concurrentPutsOfTheSameBytesEndWithOneIntactCopy() throws Exception {
        BlobStore store = newStore();
        byte[] bytes = random(2_000_000, 4);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<StoredBlob>> puts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                puts.add(pool.submit(() -> store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE)));
            }
            for (Future<StoredBlob> p : puts) {
                assertThat(p.get().sha256()).isEqualTo(sha256(bytes));
            }
        } finally {
            pool.shutdownNow();
        }
        try (InputStream in = store.open(sha256(bytes))) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(storedBlobs()).hasSize(1);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void namesThatAreNotHashesAreRefusedBeforeTouchingStorage() throws Exception {
        BlobStore store = newStore();
        for (String bad : new String[] {"../../etc/passwd", "AB".repeat(32), "ab".repeat(31), "ab".repeat(32) + "/x", ""}) {
            assertThatThrownBy(() -> store.exists(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.localFile(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store.exists("ab".repeat(32))).isFalse();
    }

    @Test
    void anUnavailableStoreSaysSoWithAnIOExceptionAndIsNotHealthy() throws Exception {
        byte[] stored = random(50_000, 5);
        BlobStore store = unavailableStore(stored);

        assertThat(store.isHealthy()).isFalse();
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(random(1000, 6)), 10_000)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.open("cd".repeat(32))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.localFile("cd".repeat(32))).isInstanceOf(IOException.class);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Counts what the store read, to show it stops at the limit instead of draining the stream. */
    static final class CountingStream extends ByteArrayInputStream {
        long read;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            if (n > 0) read += n;
            return n;
        }
    }
}
