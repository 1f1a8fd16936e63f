package io.tonearm.api.files;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a presigned upload URL allows: one PUT of exactly {@code sizeBytes} bytes of {@code contentType} into
 * file {@code fileId} of account {@code accountId}, before {@code expiresAt} (whole seconds).
 */
public record UploadGrant(String fileId, String accountId, long sizeBytes, String contentType, Instant expiresAt) {
    private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public UploadGrant {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!FILE_ID.matcher(fileId).matches()) {
            throw new IllegalArgumentException("fileId must be 1-64 of [A-Za-z0-9_-]");
        }
        if (accountId.isEmpty() || accountId.length() > 128) {
            throw new IllegalArgumentException("accountId must be 1-128 characters");
        }
        if (sizeBytes < 1) {
            throw new IllegalArgumentException("sizeBytes must be positive");
        }
        String normalized = MediaTypes.normalize(contentType)
                .orElseThrow(() -> new IllegalArgumentException("not a media type: " + contentType));
        if (!normalized.equals(contentType)) {
            throw new IllegalArgumentException("contentType must be normalized (" + normalized + ")");
        }
        if (expiresAt.getNano() != 0) {
            expiresAt = Instant.ofEpochSecond(expiresAt.getEpochSecond());
        }
    }

    /**
     * Checks a PUT's headers against the grant: the Content-Type (parameters ignored) must be the declared
     * type, and the Content-Length, when the client sent one ({@code -1} if not), the declared size. The body
     * itself must still be counted: see {@link ExactLengthInputStream}.
     */
    public void checkUpload(String contentTypeHeader, long contentLength) {
        String actual = MediaTypes.normalize(contentTypeHeader).orElse(null);
        if (!contentType.equals(actual)) {
            throw new UploadRejectedException(UploadRejectedException.Reason.WRONG_CONTENT_TYPE,
                    "this upload URL is for Content-Type " + contentType + ", not "
                            + (contentTypeHeader == null ? "none" : contentTypeHeader));
        }
        if (contentLength >= 0 && contentLength != sizeBytes) {
            throw new UploadRejectedException(UploadRejectedException.Reason.WRONG_SIZE,
                    "this upload URL is for exactly " + sizeBytes + " bytes, not " + contentLength);
        }
    }
}
