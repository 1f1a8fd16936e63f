package io.tonearm.sinks.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.function.Function;
import okhttp3.Response;

/**
 * An open response body from {@link SafeUrlFetcher#open}: for callers that consume the bytes as they arrive
 * (the streaming analysis endpoint decodes while fetching). Reading past the byte limit, a stalled or cut
 * connection, or the total time running out make {@link #stream()}'s read methods throw
 * {@link UrlImportException} (unchecked, with its usual codes). Close it, or the connection stays open.
 */
public final class FetchedBody implements AutoCloseable {
    private final Response response;
    private final URI finalUrl;
    private final int redirects;
    private final InputStream stream;

    FetchedBody(Response response, URI finalUrl, int redirects, long limit,
                Function<IOException, UrlImportException> translate) {
        this.response = response;
        this.finalUrl = finalUrl;
        this.redirects = redirects;
        this.stream = new LimitedStream(response.body().byteStream(), limit, translate);
    }

    public InputStream stream() {
        return stream;
    }

    /** The server's Content-Type header, or null. */
    public String contentType() {
        return response.header("Content-Type");
    }

    /** The declared length, or -1 when unknown (chunked, or compressed in transit). Not trusted for limits. */
    public long declaredLength() {
        return response.body().contentLength();
    }

    public URI finalUrl() {
        return finalUrl;
    }

    public int redirects() {
        return redirects;
    }

    /**
     * Copies the whole body into {@code sink}.
     *
     * @throws UrlImportException when the remote side fails or the limit is passed
     * @throws IOException only when writing to {@code sink} fails
     */
    public long transferTo(OutputStream sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = stream.read(buffer)) != -1) {
            sink.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    @Override
    public void close() {
        response.close();
    }

    /** Counts bytes and turns remote I/O failures into {@link UrlImportException}s. */
    private static final class LimitedStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private final Function<IOException, UrlImportException> translate;
        private long count;

        LimitedStream(InputStream in, long limit, Function<IOException, UrlImportException> translate) {
            this.in = in;
            this.limit = limit;
            this.translate = translate;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n;
            try {
                n = in.read(buffer, offset, length);
            } catch (IOException e) {
                throw translate.apply(e);
            }
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new UrlImportException(UrlImportError.TOO_LARGE,
                            "the file is larger than the limit of " + limit + " bytes");
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
