package io.tonearm.sinks.blobs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens the blob store a location names: a directory ({@code /srv/blobs}, {@code ./blobs}, {@code file:///srv/blobs})
 * gives a {@link FileSystemBlobStore}; {@code s3://BUCKET[/PREFIX][?endpoint=…&region=…&path_style=…]} gives an
 * {@link S3BlobStore} ({@link S3Location}). The API, the analysis, catalog-scan and ingest jobs and {@code tonearm up}
 * all open their store here, so each accepts either.
 *
 * <p>Environment read for S3: {@code TONEARM_S3_ENDPOINT}, {@code TONEARM_S3_REGION} (else {@code AWS_REGION}),
 * {@code TONEARM_S3_PATH_STYLE} ({@link S3Location}); {@code TONEARM_BLOB_CACHE_DIR} (default
 * {@code java.io.tmpdir/tonearm-blob-cache}) and {@code TONEARM_BLOB_CACHE_BYTES} (default 4g; a number with an
 * optional k, m, g or t) for the local copies the decoder reads; credentials from the AWS SDK's default chain.
 *
 * <p>An unusable location or setting is an {@link IllegalArgumentException} that says what is wrong: callers let it
 * stop their start-up. Nothing is contacted here; an unreachable store shows in {@link BlobStore#isHealthy()} and as
 * {@link IOException}s of its operations.
 */
public final class BlobStores {

    /** The environment variable that names the blob store where no argument does (the API, the jobs on Kubernetes). */
    public static final String LOCATION_ENV = "TONEARM_BLOB_STORE";
    public static final String CACHE_DIR_ENV = "TONEARM_BLOB_CACHE_DIR";
    public static final String CACHE_BYTES_ENV = "TONEARM_BLOB_CACHE_BYTES";
    static final long DEFAULT_CACHE_BYTES = 4L << 30;

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([kmgt]?)b?");

    private BlobStores() {
    }

    /** The store at {@code location}, configured from the process environment. */
    public static BlobStore open(String location) throws IOException {
        return open(location, System.getenv());
    }

    public static BlobStore open(String location, Map<String, String> env) throws IOException {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("invalid blob store location: none given (a directory or s3://BUCKET/PREFIX)");
        }
        if (S3Location.isS3(location)) {
            S3Location where = S3Location.parse(location, env);
            return S3BlobStore.builder(where).cache(cacheDir(env), bytes(env.get(CACHE_BYTES_ENV))).build();
        }
        return new FileSystemBlobStore(directory(location));
    }

    /** Where an S3 store opened with {@code env} keeps its local copies: {@code TONEARM_BLOB_CACHE_DIR} or the default. */
    public static Path cacheDir(Map<String, String> env) {
        String dir = env.get(CACHE_DIR_ENV);
        return dir == null || dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "tonearm-blob-cache")
                : localPath(dir, CACHE_DIR_ENV);
    }

    /**
     * Checks {@code location} as {@link #open} would, without creating or contacting anything: for a job's builder,
     * so that a bad location stops the submission rather than every task that opens the store.
     *
     * @return {@code location}, a directory made absolute (tasks may run in another working directory)
     */
    public static String validate(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("invalid blob store location: none given (a directory or s3://BUCKET/PREFIX)");
        }
        if (S3Location.isS3(location)) {
            S3Location.parse(location, System.getenv());
            return location.strip();
        }
        return directory(location).toString();
    }

    /** The directory a non-S3 location names; other schemes (http:, hdfs:, …) are refused. */
    static Path directory(String location) {
        String text = location.strip();
        Matcher scheme = SCHEME.matcher(text);
        // a one-letter "scheme" is a Windows drive, which this platform does not have; treat it as a relative path
        if (scheme.find() && scheme.group(1).length() > 1) {
            if (!scheme.group(1).equalsIgnoreCase("file")) {
                throw new IllegalArgumentException("invalid blob store location '" + text + "': " + scheme.group(1)
                        + ": is not supported; give a directory, a file: URI or s3://BUCKET/PREFIX");
            }
            try {
                URI uri = URI.create(text);
                if (uri.isOpaque()) {
                    throw new IllegalArgumentException("invalid blob store location '" + text + "': a file: URI names an"
                            + " absolute directory (file:///srv/blobs)");
                }
                if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty() && !"localhost".equals(uri.getRawAuthority())) {
                    throw new IllegalArgumentException("invalid blob store location '" + text + "': a file: URI names a"
                            + " local directory, not host " + uri.getRawAuthority());
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException("invalid blob store location '" + text + "': a file: URI takes no query or fragment");
                }
                return Path.of(uri.getPath()).toAbsolutePath().normalize();
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("invalid blob store location")) throw e;
                throw new IllegalArgumentException("invalid blob store location '" + text + "': " + e.getMessage(), e);
            }
        }
        return localPath(text, "blob store location");
    }

    private static Path localPath(String text, String what) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid " + what + ": contains a NUL character");
        }
        try {
            return Path.of(text.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "': " + e.getReason(), e);
        }
    }

    /** {@code 4g}, {@code 512m}, {@code 1073741824}; default 4 GiB when unset. */
    static long bytes(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_CACHE_BYTES;
        }
        Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(CACHE_BYTES_ENV + " must be a size like 4g, 512m or 1073741824, not '" + value + "'");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(CACHE_BYTES_ENV + " is too large: '" + value + "'");
        }
        return n << shift;
    }
}
