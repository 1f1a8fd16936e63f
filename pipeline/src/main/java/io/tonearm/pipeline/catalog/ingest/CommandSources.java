package io.tonearm.pipeline.catalog.ingest;

import io.tonearm.events.IngestCommand;
import io.tonearm.sinks.fetch.FetchedBody;
import io.tonearm.sinks.fetch.SafeUrlFetcher;
import io.tonearm.sinks.fetch.UrlPolicy;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * Opens a command's bytes: a {@code uri} through Flink's file systems (whatever schemes the deployment has
 * plugins for: {@code file:}, {@code s3:}, …), a {@code url} through the SSRF-safe fetcher under the URL-import
 * rules (public http(s) hosts only, every redirect re-vetted; refusals are {@code UrlImportException}s).
 */
final class CommandSources {

    /** An open stream and what the source says about it. */
    record Opened(InputStream stream, String filename, String contentType) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    private final SafeUrlFetcher fetcher;

    CommandSources(SafeUrlFetcher fetcher) {
        this.fetcher = fetcher;
    }

    Opened open(IngestCommand c) throws IOException {
        if (c.isUrl()) {
            URI uri = UrlPolicy.parseUri(c.url());
            FetchedBody body = fetcher.open(uri);
            return new Opened(new ClosingBoth(body), lastSegment(uri.getPath()), body.contentType());
        }
        Path path = new Path(c.uri().trim());
        return new Opened(path.getFileSystem().open(path), path.getName(), null);
    }

    private static String lastSegment(String path) {
        if (path == null) return null;
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String name = p.substring(p.lastIndexOf('/') + 1);
        return name.isBlank() ? null : name;
    }

    /** The body's stream, closing the response (and its connection) with it. */
    private static final class ClosingBoth extends java.io.FilterInputStream {
        private final FetchedBody body;

        ClosingBoth(FetchedBody body) {
            super(body.stream());
            this.body = body;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                body.close();
            }
        }
    }
}
