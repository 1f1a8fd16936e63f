package io.tonearm.api.assets;

import io.tonearm.api.errors.ApiException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Keyset position in the newest-first listing: the (created_at, id) of the last item returned. Opaque to
 * clients (base64url); stable under inserts, unlike page offsets.
 */
public record PageCursor(Instant createdAt, UUID id) {

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !parts[0].equals("v1")) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            return new PageCursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS),
                    UUID.fromString(parts[2]));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_cursor", "cursor is not one this API returned");
        }
    }
}
