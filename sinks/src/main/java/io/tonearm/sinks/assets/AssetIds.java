package io.tonearm.sinks.assets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;

/**
 * Asset ids are derived from (account, sha256): uploading the same bytes again, even concurrently on another
 * replica or after a delete, names the same asset. A name-based UUID (RFC 9562 version 8 layout, SHA-256).
 */
public final class AssetIds {

    private AssetIds() {
    }

    public static UUID of(UUID accountId, String sha256) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256")
                    .digest(("tonearm-asset:" + accountId + ":" + sha256).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        h[6] = (byte) ((h[6] & 0x0f) | 0x80); // version 8
        h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    /** A client-supplied id; anything unparsable is simply an id that does not exist. */
    public static Optional<UUID> parse(String id) {
        try {
            return id != null && id.length() == 36 ? Optional.of(UUID.fromString(id)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
