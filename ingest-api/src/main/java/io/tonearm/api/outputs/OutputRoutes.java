package io.tonearm.api.outputs;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tonearm.api.accounts.AccountService;
import io.tonearm.api.errors.ApiException;
import io.tonearm.api.http.Routes;
import io.tonearm.sinks.blobs.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/**
 * {@code GET /outputs/{job_id}/{name}}: streams one job output from the blob store with its media type, a
 * {@code Content-Disposition} naming the file, and byte ranges ({@code Range}, 206). Outside {@code /v1}: the signed
 * link is the credential. 403 for a malformed, tampered or expired link; 404 when the link is fine but the job or
 * output is not the linked account's (or a Bearer key of another account is sent along); 410 once the retention
 * window has passed or the bytes are no longer stored.
 */
public final class OutputRoutes implements Routes.Feature {

    private final JobOutputs outputs;
    private final BlobStore blobs;
    private final AccountService accounts;

    public OutputRoutes(JobOutputs outputs, BlobStore blobs, AccountService accounts) {
        this.outputs = outputs;
        this.blobs = blobs;
        this.accounts = accounts;
    }

    @Override
    public void routes(Routes routes) {
        routes.get(DownloadLinks.PATH + "/{job_id}/{name}", "Download a job output through the signed link "
                + "GET /v1/jobs/{id} lists (no API key needed; Range supported; 403 bad or expired link, 410 past retention)",
                this::download);
    }

    private void download(Context ctx) throws IOException {
        UUID jobId;
        try {
            jobId = UUID.fromString(ctx.pathParam("job_id"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("job");
        }
        String name = ctx.pathParam("name");
        UUID account = outputs.links().verify(jobId, name, ctx.queryParamMap(), outputs.clock().instant());
        String authorization = ctx.header("Authorization");
        if (authorization != null && !accounts.authenticate(authorization).accountId().equals(account)) {
            throw ApiException.notFound("job output");
        }
        JobOutput output = outputs.repository().find(account, jobId, name)
                .orElseThrow(() -> ApiException.notFound("job output"));
        if (!outputs.clock().instant().isBefore(outputs.retainedUntil(output))) {
            throw new ApiException(HttpStatus.GONE, "output_expired", "job outputs are kept for a retention window after "
                    + "the job finishes; this one ended at " + outputs.retainedUntil(output) + " (request the job again)");
        }
        if (!blobs.exists(output.sha256())) {
            throw new ApiException(HttpStatus.GONE, "output_gone", "the output's bytes are no longer stored (request the job again)");
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        ctx.header("ETag", "\"" + output.sha256() + "\"");
        ctx.header("Cache-Control", "private, max-age=3600, immutable");
        ctx.disableCompression(); // the lengths below are the stored bytes'
        ctx.header("Accept-Ranges", "bytes");
        ctx.contentType(output.mediaType());
        long size = output.sizeBytes();
        long[] range = range(ctx.header("Range"), size);
        InputStream in = blobs.open(output.sha256());
        if (range == null) {
            ctx.header("Content-Length", Long.toString(size));
            ctx.result(in);
            return;
        }
        if (range.length == 0) {
            in.close();
            ctx.header("Content-Range", "bytes */" + size);
            throw new ApiException(HttpStatus.RANGE_NOT_SATISFIABLE, "range_not_satisfiable",
                    "the output has " + size + " bytes");
        }
        in.skipNBytes(range[0]);
        ctx.status(HttpStatus.PARTIAL_CONTENT);
        ctx.header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
        ctx.header("Content-Length", Long.toString(range[1] - range[0] + 1));
        ctx.result(new BoundedInputStream(in, range[1] - range[0] + 1));
    }

    /**
     * One {@code bytes=a-b}, {@code a-} or {@code -n} range as {@code [first, last]}; null to send everything (no
     * header, several ranges, or not bytes); an empty array when it lies beyond the end (416).
     */
    static long[] range(String header, long size) {
        var m = header == null ? null : RANGE.matcher(header.strip());
        if (m == null || !m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return null;
        }
        try {
            long first;
            long last;
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                first = Math.max(0, size - suffix);
                last = size - 1;
                if (suffix == 0) {
                    return new long[0];
                }
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                if (last < first && first < size) {
                    return null; // malformed: ignore, as RFC 9110 allows
                }
            }
            return first >= size ? new long[0] : new long[]{first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final java.util.regex.Pattern RANGE = java.util.regex.Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** At most {@code limit} bytes of {@code in}. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
