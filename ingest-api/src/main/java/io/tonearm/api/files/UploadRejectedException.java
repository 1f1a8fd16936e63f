package io.tonearm.api.files;

/** A PUT to a valid upload URL whose headers or body do not match what was presigned. */
public final class UploadRejectedException extends RuntimeException {
    public enum Reason {
        /** Content-Type differs from the declared one: 415. */
        WRONG_CONTENT_TYPE("upload_wrong_content_type", 415),
        /** Content-Length or the counted body differs from the declared size: 400 (413 when larger). */
        WRONG_SIZE("upload_wrong_size", 400),
        /** The body was longer than declared: 413. */
        TOO_LARGE("upload_too_large", 413);

        private final String code;
        private final int httpStatus;

        Reason(String code, int httpStatus) {
            this.code = code;
            this.httpStatus = httpStatus;
        }

        public String code() {
            return code;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public UploadRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return reason.code();
    }

    public int httpStatus() {
        return reason.httpStatus();
    }
}
