package io.tonearm.api.files;

/**
 * One problem with one request field: {@code field} as the client wrote it (snake_case), a stable
 * {@code code} ({@code required}, {@code invalid}, {@code not_allowed}, {@code too_large}) and a message.
 */
public record FieldError(String field, String code, String message) {
}
