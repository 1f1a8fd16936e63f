package io.tonearm.api.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API key format {@code tnk_<prefix>_<secret>}: the prefix (8 hex chars, not secret) finds the row, the whole
 * key's SHA-256 is what is stored and compared (constant time). 256 random bits make a slow hash unnecessary.
 */
final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("tnk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})");

    private ApiKeys() {
    }

    record NewKey(String plain, String prefix, byte[] hash) {
    }

    static NewKey generate() {
        byte[] prefix = new byte[4];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(prefix);
        RANDOM.nextBytes(secret);
        String p = HexFormat.of().formatHex(prefix);
        String plain = "tnk_" + p + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(plain, p, hash(plain));
    }

    /** The prefix of a well-formed key, empty for anything else. */
    static Optional<String> prefixOf(String key) {
        Matcher m = FORMAT.matcher(key);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean matches(String key, byte[] storedHash) {
        return MessageDigest.isEqual(hash(key), storedHash);
    }
}
