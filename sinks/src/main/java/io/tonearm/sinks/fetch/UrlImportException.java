package io.tonearm.sinks.fetch;

/** A refused or failed URL import; the message is written for the API client (it never contains secrets). */
public final class UrlImportException extends RuntimeException {
    private final UrlImportError error;

    public UrlImportException(UrlImportError error, String message) {
        super(message);
        this.error = error;
    }

    public UrlImportException(UrlImportError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public UrlImportError error() {
        return error;
    }

    /** The status the API answers with: 400, 413 or 422. */
    public int httpStatus() {
        return error.httpStatus();
    }

    /** The stable machine-readable code, e.g. {@code url_forbidden}. */
    public String code() {
        return error.code();
    }
}
