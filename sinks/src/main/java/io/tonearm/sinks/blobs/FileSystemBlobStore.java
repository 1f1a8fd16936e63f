package io.tonearm.sinks.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Blobs as files under {@code root}, laid out by hash prefix ({@code ab/cd/abcd…}) so no directory grows huge.
 * An upload is written to {@code root/tmp} while being hashed, then moved atomically into place: a reader
 * never sees a partial blob, and two concurrent uploads of the same bytes both end with one intact file.
 */
public final class FileSystemBlobStore implements BlobStore {

    private final Path root;
    private final Path tmp;

    public FileSystemBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        Files.createDirectories(tmp);
    }

    @Override
    public StoredBlob put(InputStream in, long maxBytes) throws IOException {
        try (Spool spool = Spool.write(in, maxBytes, tmp)) {
            Path target = pathOf(spool.sha256());
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try {
                    Files.move(spool.file(), target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    // Someone stored the same bytes meanwhile: theirs is identical, keep it.
                }
            }
            return new StoredBlob(spool.sha256(), spool.size(), target.toUri());
        }
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(pathOf(sha256));
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        return Files.newInputStream(pathOf(sha256));
    }

    @Override
    public Path localFile(String sha256) throws IOException {
        Path p = pathOf(sha256);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString());
        }
        return p;
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(pathOf(sha256));
    }

    @Override
    public boolean isHealthy() {
        return Files.isDirectory(tmp) && Files.isWritable(tmp);
    }

    /** {@code root/ab/cd/abcd…} */
    public Path pathOf(String sha256) {
        Spool.checkSha256(sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }
}
