package io.tonearm.api.files;

/** A presign request that passed {@link PresignPolicy}: trimmed name, normalized content type. */
public record ValidPresign(String fileName, String contentType, long fileSize, String purpose) {
}
