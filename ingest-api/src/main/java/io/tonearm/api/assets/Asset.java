package io.tonearm.api.assets;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One account's handle on a blob, with what probing found. */
public record Asset(UUID id, UUID accountId, String sha256, String method, String filename, String contentType,
                    String fileType, long sizeBytes, Status status, String errorCode, String errorMessage,
                    Double durationSeconds, String container, String codec, Integer sampleRate, Integer channels,
                    Map<String, Object> metadata, Instant createdAt, Instant updatedAt, Instant expiresAt) {

    public enum Status {
        PROCESSING, READY, FAILED;

        public String id() {
            return name().toLowerCase();
        }

        static Status of(String id) {
            return valueOf(id.toUpperCase());
        }
    }
}
