package io.tonearm.sinks.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The first step of every put: the bytes streamed into a temporary file while being hashed and counted, so that a
 * store knows a blob's name and size before anything becomes visible, and no blob is ever held in memory. Closing
 * deletes the file unless a store moved it away.
 */
final class Spool implements AutoCloseable {

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final String sha256;
    private final long size;

    private Spool(Path file, String sha256, long size) {
        this.file = file;
        this.sha256 = sha256;
        this.size = size;
    }

    /**
     * Streams {@code in} into a new file under {@code dir}.
     *
     * @throws BlobStore.TooLargeException as soon as more than {@code maxBytes} arrived (the file is deleted)
     * @throws BlobStore.EmptyException    for zero bytes (the file is deleted)
     */
    static Spool write(InputStream in, long maxBytes, Path dir) throws IOException {
        MessageDigest digest = sha256Digest();
        Path part = Files.createTempFile(dir, "upload-", ".part");
        try {
            long size = 0;
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.WRITE)) {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw new BlobStore.TooLargeException(maxBytes);
                    }
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            if (size == 0) {
                throw new BlobStore.EmptyException();
            }
            return new Spool(part, HexFormat.of().formatHex(digest.digest()), size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    String sha256() {
        return sha256;
    }

    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Rejects anything that is not a lower-case hex SHA-256 before it becomes part of a path or an object key. */
    static String checkSha256(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return sha256;
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
