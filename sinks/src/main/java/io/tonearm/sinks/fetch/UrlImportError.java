package io.tonearm.sinks.fetch;

/**
 * Why fetching a client-supplied URL was refused or failed. {@link #code()} is a stable string clients may
 * branch on; {@link #httpStatus()} is the status the API should answer with.
 */
public enum UrlImportError {
    /** Not a usable http(s) URL: syntax, scheme, userinfo, ambiguous IP spelling, bad port. */
    BAD_URL("bad_url", 400),
    /** A well-formed URL whose host or any resolved address is not public (loopback, private, metadata...). */
    URL_FORBIDDEN("url_forbidden", 422),
    /** DNS failed, connection refused, TLS handshake failed, the body ended early. */
    URL_UNREACHABLE("url_unreachable", 422),
    /** The remote server answered with a non-2xx status (after redirects). */
    URL_HTTP_ERROR("url_http_error", 422),
    /** More redirects than allowed, a loop, or a redirect that is not allowed (https to http). */
    TOO_MANY_REDIRECTS("too_many_redirects", 422),
    /** The body is (or declares itself) larger than the configured limit. */
    TOO_LARGE("too_large", 413),
    /** Connect, read or total time exceeded. */
    TIMEOUT("timeout", 422);

    private final String code;
    private final int httpStatus;

    UrlImportError(String code, int httpStatus) {
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
