package io.tonearm.sinks.blobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Local copies of remote blobs, for tools that need a path (the decoder runs ffmpeg on a file). A copy is named by its
 * SHA-256 and appears only complete and verified: it is downloaded into {@code tmp/}, hashed on the way, and renamed
 * into place atomically. Each use stamps the file's modification time; past {@code maxBytes} the least recently used
 * copies are deleted, except those used within {@code inUse} (a decoder may be about to open one), so the bound can be
 * exceeded while that many bytes are in use. Several processes may share the directory: every write is a rename of
 * verified bytes, and a copy deleted by another process's eviction is simply fetched again.
 */
final class BlobCache {

    private static final Logger LOG = LoggerFactory.getLogger(BlobCache.class);
    private static final Duration STALE_PART = Duration.ofHours(6);

    private final Path dir;
    private final Path tmp;
    private final long maxBytes;
    private final Duration inUse;

    BlobCache(Path dir, long maxBytes, Duration inUse) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("cache bound must not be negative: " + maxBytes);
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.tmp = this.dir.resolve("tmp");
        this.maxBytes = maxBytes;
        this.inUse = inUse;
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob cache directory " + tmp, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Where a store spools uploads (same filesystem as the cache, so an uploaded spool is adopted by a rename). */
    Path tmp() {
        return tmp;
    }

    /** The copy of {@code sha256}, marked as just used; empty when there is none. */
    Optional<Path> lookup(String sha256) {
        Path p = dir.resolve(Spool.checkSha256(sha256));
        try {
            Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()));
            return Optional.of(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.debug("cannot stamp {}", p, e);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
    }

    /** Source of a blob's bytes, opened once per fill. */
    interface Source {
        InputStream open() throws IOException;
    }

    /**
     * Copies {@code source} in, verifying that its bytes hash to {@code sha256}; a mismatch is an {@link IOException}
     * and leaves nothing behind.
     */
    Path fill(String sha256, Source source, String what) throws IOException {
        Path part = Files.createTempFile(tmp, "fetch-", ".part");
        try {
            MessageDigest digest = Spool.sha256Digest();
            try (InputStream in = source.open(); OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                throw new IOException(what + " holds bytes whose SHA-256 is " + actual + ", not its name: refusing the corrupt copy");
            }
            return adopt(sha256, part);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Moves {@code file} (bytes already known to hash to {@code sha256}, on this filesystem) in as the copy. */
    Path adopt(String sha256, Path file) throws IOException {
        Path target = dir.resolve(Spool.checkSha256(sha256));
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
        evict(target);
        return target;
    }

    void remove(String sha256) throws IOException {
        Files.deleteIfExists(dir.resolve(Spool.checkSha256(sha256)));
    }

    /** Deletes least recently used copies while the total is above the bound; never {@code keep} or copies in use. */
    private synchronized void evict(Path keep) {
        record Entry(Path path, long size, long used) {
        }
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (!Spool.SHA256.matcher(p.getFileName().toString()).matches()) continue;
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (!a.isRegularFile()) continue;
                    entries.add(new Entry(p, a.size(), a.lastModifiedTime().toMillis()));
                    total += a.size();
                } catch (NoSuchFileException gone) {
                    // evicted by another process meanwhile
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the blob cache {}: {}", dir, e.toString());
            return;
        }
        sweepStaleParts();
        if (total <= maxBytes) return;
        long busySince = System.currentTimeMillis() - inUse.toMillis();
        entries.sort(Comparator.comparingLong(Entry::used));
        for (Entry e : entries) {
            if (total <= maxBytes) break;
            if (e.path().equals(keep) || e.used() > busySince) continue;
            try {
                Files.deleteIfExists(e.path());
                total -= e.size();
            } catch (IOException ex) {
                LOG.debug("cannot evict {}", e.path(), ex);
            }
        }
        if (total > maxBytes) {
            LOG.info("blob cache {} holds {} bytes, above its bound of {}: the rest is in use", dir, total, maxBytes);
        }
    }

    /** Fetches and spools a crash left behind. */
    private void sweepStaleParts() {
        long before = System.currentTimeMillis() - STALE_PART.toMillis();
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(tmp, "*.part")) {
            for (Path p : parts) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < before) Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // in use or gone
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot sweep {}", tmp, e);
        }
    }
}
