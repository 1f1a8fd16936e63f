package io.tonearm.api.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes through exactly {@code expected} bytes and fails otherwise: reading past the declared size throws
 * {@code TOO_LARGE} as soon as one extra byte arrives (so a lying or absent Content-Length cannot overfill the
 * blob store), and an end of stream before it throws {@code WRONG_SIZE}. Wrap the PUT body with it.
 */
public final class ExactLengthInputStream extends FilterInputStream {
    private final long expected;
    private long seen;

    public ExactLengthInputStream(InputStream in, long expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        account(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // Ask for one byte more than allowed at most, so an overlong body is noticed without reading it all.
        long room = expected - seen + 1;
        int n = in.read(buffer, offset, (int) Math.min(length, room));
        account(n);
        return n;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported on an upload body");
    }

    private void account(int n) {
        if (n < 0) {
            if (seen != expected) {
                throw new UploadRejectedException(UploadRejectedException.Reason.WRONG_SIZE,
                        "the upload ended after " + seen + " bytes; " + expected + " were declared");
            }
            return;
        }
        seen += n;
        if (seen > expected) {
            throw new UploadRejectedException(UploadRejectedException.Reason.TOO_LARGE,
                    "the upload is larger than the declared " + expected + " bytes");
        }
    }

    public long bytesRead() {
        return seen;
    }
}
