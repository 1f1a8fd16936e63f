package io.tonearm.api.files;

/** An upload URL that does not verify. Messages are safe to show to the client. */
public final class UploadUrlException extends RuntimeException {
    public enum Reason {
        /** Missing, repeated or unparsable parameters: 400. */
        MALFORMED("upload_url_malformed", 400),
        /** The signature does not match the parameters (tampered, or signed with another secret): 403. */
        BAD_SIGNATURE("upload_url_bad_signature", 403),
        /** Signed with a key id this server does not know (rotated out long ago, or forged): 403. */
        UNKNOWN_KEY("upload_url_unknown_key", 403),
        /** Correctly signed but past its expiry: 403. */
        EXPIRED("upload_url_expired", 403);

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

    public UploadUrlException(Reason reason, String message) {
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
