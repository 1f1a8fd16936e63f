package io.tonearm.sinks.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Blobs as files under {@code root}, laid out by hash prefix ({@code ab/cd/abcd…}) so no directory grows huge.
 * An upload is written to {@code root/tmp} while being hashed, then moved atomically into place: a reader
 * never sees a partial blob, and two concurrent uploads of the same bytes both end with one intact file.
 */
public final class FileSystemBlobStore implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path tmp;

    public FileSystemBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        Files.createDirectories(tmp);
    }

    @Override
    public StoredBlob put(InputStream in, long maxBytes) throws IOException {
        MessageDigest digest = sha256();
        Path part = Files.createTempFile(tmp, "upload-", ".part");
        try {
            long size = 0;
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.WRITE)) {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLargeException(maxBytes);
                    }
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            if (size == 0) {
                throw new EmptyException();
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Path target = pathOf(sha);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    // Someone stored the same bytes meanwhile: theirs is identical, keep it.
                }
            }
            return new StoredBlob(sha, size, target.toUri());
        } finally {
            Files.deleteIfExists(part);
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
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
