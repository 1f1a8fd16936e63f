package io.tonearm.api.files;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HMAC secrets by key id. New URLs are signed with the active key; URLs signed with any listed key still
 * verify, so rotation is: add the new key as active, keep the old one until its URLs have expired (one TTL),
 * then drop it.
 */
public final class SigningKeys {
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MIN_SECRET_BYTES = 32;

    private final String activeKeyId;
    private final Map<String, byte[]> secrets;

    private SigningKeys(String activeKeyId, Map<String, byte[]> secrets) {
        this.activeKeyId = activeKeyId;
        this.secrets = secrets;
    }

    /** {@code secrets} must contain {@code activeKeyId}; every secret at least 32 bytes. */
    public static SigningKeys of(String activeKeyId, Map<String, byte[]> secrets) {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        secrets.forEach((id, secret) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("key id must be 1-32 of [A-Za-z0-9_-]: " + id);
            }
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("secret of key " + id + " must be at least " + MIN_SECRET_BYTES
                        + " bytes");
            }
            copy.put(id, secret.clone());
        });
        if (!copy.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("the active key " + activeKeyId + " has no secret");
        }
        return new SigningKeys(activeKeyId, copy);
    }

    /**
     * Parses operator configuration {@code "k2:BASE64,k1:BASE64"}: key id, colon, base64 (standard or url-safe)
     * secret; the first entry is the active key.
     */
    public static SigningKeys parse(String config) {
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        String active = null;
        for (String entry : config.split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("signing key entries look like id:base64secret");
            }
            String id = e.substring(0, colon);
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(e.substring(colon + 1).replace('-', '+').replace('_', '/'));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("secret of key " + id + " is not base64");
            }
            if (secrets.put(id, secret) != null) {
                throw new IllegalArgumentException("key id " + id + " appears twice");
            }
            active = active == null ? id : active;
        }
        return of(active, secrets);
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /**
     * The signature every signed URL of Tonearm uses (presigned uploads, output downloads): base64url without padding
     * of HMAC-SHA256 (RFC 2104) under key {@code keyId} over {@code version} followed by each field on its own line,
     * length-prefixed ({@code "\n" + length + ":" + field}), so no two different field lists share a string and the
     * version keeps a signature for one purpose from being valid for another. Empty when {@code keyId} is unknown.
     */
    public Optional<String> signature(String keyId, String version, List<String> fields) {
        byte[] secret = secrets.get(keyId);
        if (secret == null) {
            return Optional.empty();
        }
        StringBuilder canonical = new StringBuilder(version);
        for (String field : fields) {
            canonical.append('\n').append(field.length()).append(':').append(field);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] tag = mac.doFinal(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(tag));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison of a given signature with the expected one (as text: non-canonical encodings fail). */
    public static boolean matches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
