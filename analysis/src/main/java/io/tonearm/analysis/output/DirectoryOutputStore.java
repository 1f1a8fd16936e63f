package io.tonearm.analysis.output;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Output files under a directory, laid out by SHA-256 ({@code ab/abcd….ext}): written to a temporary file while
 * hashing, then moved into place atomically; a second identical output finds its file already there.
 */
public final class DirectoryOutputStore implements OutputStore {

    private final Path root;

    public DirectoryOutputStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    @Override
    public Output create(String name, String mediaType) throws IOException {
        Path tmp = Files.createTempFile(root, ".output-", ".tmp");
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        DigestOutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), digest);
        return new Output() {
            private boolean done;

            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public OutputRef finish() throws IOException {
                out.close();
                done = true;
                String sha = HexFormat.of().formatHex(digest.digest());
                String ext = extension(name);
                Path target = root.resolve(sha.substring(0, 2)).resolve(sha + ext);
                Files.createDirectories(target.getParent());
                long size = Files.size(tmp);
                if (Files.exists(target)) {
                    Files.delete(tmp);
                } else {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                }
                return new OutputRef(name, mediaType, sha, size, target.toUri().toString());
            }

            @Override
            public void close() throws IOException {
                if (!done) {
                    out.close();
                    Files.deleteIfExists(tmp);
                }
            }
        };
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).replaceAll("[^A-Za-z0-9.]", "");
    }
}
