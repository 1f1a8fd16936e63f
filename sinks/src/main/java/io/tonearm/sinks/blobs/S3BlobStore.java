package io.tonearm.sinks.blobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Blobs as objects in an S3 bucket (AWS or any S3-compatible server), one object per blob under
 * {@code PREFIX + sha256} ({@link S3Location}).
 *
 * <ul>
 *   <li>{@link #put} spools the bytes to a local temporary file while hashing them ({@link Spool}: never in memory,
 *       size limit and emptiness exactly as {@link FileSystemBlobStore}), then uploads the file with its length known:
 *       one PUT, or a multipart upload above {@code partSize}, each request carrying its Content-MD5 so the server
 *       refuses damaged bytes. An object appears under its key only when the PUT or the multipart completion
 *       succeeds, so a reader never sees a partial blob. Bytes the bucket already holds are not uploaded again;
 *       concurrent puts of the same bytes write the same object, which stays one intact copy.</li>
 *   <li>{@link #localFile} serves the decoder from a bounded local cache ({@link BlobCache}): a download is verified
 *       against the blob's SHA-256 before it is used. The spool of a put is kept there too, so the analysis that
 *       usually follows an upload on the same machine reads it without a download.</li>
 *   <li>Failures of the store (unreachable, refused credentials, missing bucket) are {@link IOException}s naming the
 *       bucket and endpoint; {@link #exists} turns them into {@link UncheckedIOException}, never into "absent".</li>
 * </ul>
 *
 * <p>Checksums: the SDK's own (CRC32 since 2.30) are asked for only where the API requires them, because many
 * S3-compatible servers reject them on multipart uploads; Content-MD5, which every S3 implementation checks, and the
 * SHA-256 check of every download take their place.
 */
public final class S3BlobStore implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    /** S3's smallest part (except the last) is 5 MiB, its largest single PUT 5 GiB. */
    static final long MIN_PART_SIZE = 5L << 20;
    static final long MAX_PART_SIZE = 5L << 30;

    private final S3Location where;
    private final S3Client s3;
    private final BlobCache cache;
    private final long partSize;

    private S3BlobStore(Builder b) {
        this.where = b.where;
        this.cache = new BlobCache(b.cacheDir, b.cacheBytes, b.cacheInUse);
        this.partSize = b.partSize;
        var client = S3Client.builder()
                .httpClient(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofMinutes(2))
                        .build())
                .region(Region.of(where.region()))
                .credentialsProvider(b.credentials != null ? b.credentials : DefaultCredentialsProvider.builder().build())
                .forcePathStyle(where.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (where.endpoint() != null) {
            client.endpointOverride(where.endpoint());
        }
        this.s3 = client.build();
    }

    public static Builder builder(S3Location where) {
        return new Builder(where);
    }

    public S3Location where() {
        return where;
    }

    @Override
    public StoredBlob put(InputStream in, long maxBytes) throws IOException {
        try (Spool spool = Spool.write(in, maxBytes, cache.tmp())) {
            String key = where.keyOf(spool.sha256());
            if (storedSize(key).orElse(-1L) != spool.size()) {
                if (spool.size() <= partSize) {
                    putWhole(key, spool.file(), spool.size());
                } else {
                    putInParts(key, spool.file(), spool.size());
                }
            }
            try {
                cache.adopt(spool.sha256(), spool.file());
            } catch (IOException e) {
                LOG.debug("cannot keep the spool of {} in the cache", spool.sha256(), e);
            }
            return new StoredBlob(spool.sha256(), spool.size(), where.uriOf(spool.sha256()));
        }
    }

    @Override
    public boolean exists(String sha256) {
        try {
            return storedSize(where.keyOf(sha256)).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        Optional<Path> local = cache.lookup(sha256);
        if (local.isPresent()) {
            try {
                return Files.newInputStream(local.get());
            } catch (NoSuchFileException evictedMeanwhile) {
                // read it from the bucket
            }
        }
        return download(where.keyOf(sha256));
    }

    @Override
    public Path localFile(String sha256) throws IOException {
        Optional<Path> local = cache.lookup(sha256);
        if (local.isPresent()) {
            return local.get();
        }
        String key = where.keyOf(sha256);
        return cache.fill(sha256, () -> download(key), uri(key));
    }

    @Override
    public void delete(String sha256) throws IOException {
        String key = where.keyOf(sha256);
        try {
            s3.deleteObject(r -> r.bucket(where.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("deleting", key, e);
        }
        cache.remove(sha256);
    }

    /** The bucket answers (a HEAD of the bucket, a few seconds at most) and the local spool directory is writable. */
    @Override
    public boolean isHealthy() {
        if (!Files.isWritable(cache.tmp())) {
            return false;
        }
        try {
            s3.headBucket(r -> r.bucket(where.bucket()).overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5))));
            return true;
        } catch (SdkException e) {
            LOG.debug("blob store {} is not healthy: {}", where, e.toString());
            return false;
        }
    }

    @Override
    public String toString() {
        return "S3BlobStore " + where.describe() + " (cache " + cache.dir() + ")";
    }

    /** The object's size, or empty when there is no such object. */
    private Optional<Long> storedSize(String key) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(where.bucket()).key(key));
            return Optional.of(head.contentLength());
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("checking", key, e);
        } catch (SdkException e) {
            throw failure("checking", key, e);
        }
    }

    private InputStream download(String key) throws IOException {
        try {
            return s3.getObject(r -> r.bucket(where.bucket()).key(key));
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404) {
                NoSuchFileException missing = new NoSuchFileException(uri(key));
                missing.initCause(e);
                throw missing;
            }
            throw failure("reading", key, e);
        } catch (SdkException e) {
            throw failure("reading", key, e);
        }
    }

    private void putWhole(String key, Path file, long size) throws IOException {
        String md5 = md5(file, 0, size);
        try {
            s3.putObject(r -> r.bucket(where.bucket()).key(key).contentLength(size).contentMD5(md5)
                    .contentType("application/octet-stream"), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("uploading", key, e);
        }
    }

    private void putInParts(String key, Path file, long size) throws IOException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(r -> r.bucket(where.bucket()).key(key)
                    .contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw failure("starting the multipart upload of", key, e);
        }
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += partSize) {
                int number = parts.size() + 1;
                long length = Math.min(partSize, size - offset);
                String md5 = md5(file, offset, length);
                long from = offset;
                String etag = s3.uploadPart(r -> r.bucket(where.bucket()).key(key).uploadId(uploadId).partNumber(number)
                                .contentLength(length).contentMD5(md5),
                        RequestBody.fromContentProvider(part(file, from, length), length, "application/octet-stream"))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(where.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException | IOException | UncheckedIOException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(where.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            if (e instanceof SdkException sdk) throw failure("uploading", key, sdk);
            if (e instanceof UncheckedIOException io) throw io.getCause();
            throw (IOException) e;
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}. */
    private static InputStream slice(Path file, long offset, long length) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ch.position(offset);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new BoundedInputStream(Channels.newInputStream(ch), length);
    }

    /** A part's bytes, opened anew for each attempt the SDK makes. */
    private static ContentStreamProvider part(Path file, long offset, long length) {
        return () -> {
            try {
                return slice(file, offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static String md5(Path file, long offset, long length) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = slice(file, offset, length)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) != -1; ) {
                md5.update(buffer, 0, n);
            }
        }
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    private String uri(String key) {
        return "s3://" + where.bucket() + "/" + key;
    }

    private IOException failure(String action, String key, SdkException e) {
        String at = where.endpoint() == null ? "AWS " + where.region() : where.endpoint().toString();
        return new IOException("blob store: " + action + " " + uri(key) + " at " + at + " failed: " + e.getMessage(), e);
    }

    /** Validates everything in {@link #build()}. */
    public static final class Builder {
        private final S3Location where;
        private Path cacheDir;
        private long cacheBytes = BlobStores.DEFAULT_CACHE_BYTES;
        private Duration cacheInUse = Duration.ofMinutes(10);
        private long partSize = 64L << 20;
        private AwsCredentialsProvider credentials;

        private Builder(S3Location where) {
            this.where = Objects.requireNonNull(where, "where");
        }

        /** The local cache for {@link #localFile} and spooled uploads, and its bound in bytes. */
        public Builder cache(Path dir, long maxBytes) {
            this.cacheDir = dir;
            this.cacheBytes = maxBytes;
            return this;
        }

        /** How long after its last use a cached copy is safe from eviction (default 10 minutes). */
        public Builder cacheInUse(Duration inUse) {
            this.cacheInUse = inUse;
            return this;
        }

        /** Uploads above this size go in parts of this size (default 64 MiB; between 5 MiB and 5 GiB). */
        public Builder partSize(long bytes) {
            this.partSize = bytes;
            return this;
        }

        /** Default: the AWS SDK's default chain (environment, system properties, profile, web identity, role). */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        public S3BlobStore build() {
            Objects.requireNonNull(cacheDir, "cache directory");
            if (cacheBytes < 0) throw new IllegalArgumentException("cache bound must not be negative: " + cacheBytes);
            if (cacheInUse == null || cacheInUse.isNegative()) throw new IllegalArgumentException("cacheInUse must not be negative");
            if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
                throw new IllegalArgumentException("part size must be between 5 MiB and 5 GiB: " + partSize);
            }
            return new S3BlobStore(this);
        }
    }

    /** At most {@code remaining} bytes of {@code in}. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = super.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
