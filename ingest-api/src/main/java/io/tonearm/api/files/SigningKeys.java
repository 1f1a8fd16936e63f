package io.tonearm.api.files;

import java.util.Base64;
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

    byte[] activeSecret() {
        return secrets.get(activeKeyId);
    }

    Optional<byte[]> secret(String keyId) {
        return Optional.ofNullable(secrets.get(keyId));
    }
}
