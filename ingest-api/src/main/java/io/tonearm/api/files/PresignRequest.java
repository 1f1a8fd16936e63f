package io.tonearm.api.files;

/**
 * The body of {@code POST /v1/files}: {@code {file_name, content_type, file_size, purpose}} (snake_case on the
 * wire). Fields are nullable here so that missing ones are reported by {@link PresignPolicy#validate}, not by
 * JSON binding.
 */
public record PresignRequest(String fileName, String contentType, Long fileSize, String purpose) {
}
