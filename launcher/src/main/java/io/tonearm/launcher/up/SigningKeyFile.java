package io.tonearm.launcher.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret that signs presigned upload URLs, kept in {@code <data-dir>/signing-keys} (0600) so that URLs handed
 * out before a restart still work after it. Format {@code id:BASE64[,id:BASE64...]}, as the API reads it.
 */
final class SigningKeyFile {
    static final String FILE = "signing-keys";

    private SigningKeyFile() {
    }

    static String ensure(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String keys = "k1:" + Base64.getEncoder().encodeToString(secret);
            PrivateFiles.write(file, keys + "\n");
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the URL signing key in " + file, e);
        }
    }
}
