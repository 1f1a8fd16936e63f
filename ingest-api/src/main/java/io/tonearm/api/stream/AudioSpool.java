package io.tonearm.api.stream;

import io.javalin.http.HttpStatus;
import io.tonearm.api.errors.ApiException;
import io.tonearm.sinks.fetch.FetchedBody;
import io.tonearm.sinks.fetch.SafeUrlFetcher;
import io.tonearm.sinks.fetch.UrlImportException;
import io.tonearm.sinks.fetch.UrlPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Puts the audio of one stream request into a private temporary file (the decoder needs a file), never in the
 * heap, with a byte limit and its SHA-256 computed on the way. Nothing is stored: the file is deleted when the
 * recording is done, and files a crash left behind are removed when the spool opens.
 */
final class AudioSpool {

    /** A spooled recording; delete it when done. */
    record Spooled(Path file, long bytes, String sha256) {
        void delete() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the spool is swept at the next start
            }
        }
    }

    private final Path dir;

    AudioSpool(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> leftovers = Files.list(dir)) {
                for (Path p : (Iterable<Path>) leftovers::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request body, up to {@code maxBytes}: 413 beyond, 400 when empty or cut off. */
    Spooled fromBody(InputStream body, long maxBytes) {
        try {
            return write(body, maxBytes);
        } catch (IOException e) {
            throw ApiException.badRequest("upload_interrupted", "reading the body failed: " + e.getMessage());
        }
    }

    /** A URL's body through the SSRF-safe fetcher: its error codes and statuses, 413 beyond {@code maxBytes}. */
    Spooled fromUrl(SafeUrlFetcher fetcher, String url, long maxBytes) {
        try (FetchedBody body = fetcher.open(UrlPolicy.parseUri(url.strip()))) {
            return write(body.stream(), maxBytes);
        } catch (UrlImportException e) {
            throw new ApiException(HttpStatus.forStatus(e.httpStatus()), e.code(), e.getMessage());
        } catch (IOException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "url_unreachable",
                    "fetching the audio failed: " + e.getMessage());
        }
    }

    private Spooled write(InputStream in, long maxBytes) throws IOException {
        Path file = Files.createTempFile(dir, "stream-", ".audio");
        boolean kept = false;
        try {
            MessageDigest sha = sha256();
            long total = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw ApiException.tooLarge(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (total == 0) {
                throw missingAudio();
            }
            kept = true;
            return new Spooled(file, total, HexFormat.of().formatHex(sha.digest()));
        } finally {
            if (!kept) {
                Files.deleteIfExists(file);
            }
        }
    }

    static ApiException missingAudio() {
        return ApiException.badRequest("missing_audio", "send the audio as the body, or its URL in the audio-url header");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
