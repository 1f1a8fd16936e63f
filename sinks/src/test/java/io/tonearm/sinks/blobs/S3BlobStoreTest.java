package io.tonearm.sinks.blobs;

import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract on a real S3-compatible server (S3Proxy, {@link LocalStack#s3()}), and what only the object store
 * has: multipart uploads, the bounded local cache, verified downloads, refused credentials, a missing bucket.
 */
class S3BlobStoreTest extends BlobStoreContractTest {

    private static final String BUCKET = "blobs";
    private static S3Server server;
    private static S3Client raw;

    @TempDir
    Path cacheDir;
    private String prefix;

    @BeforeAll
    static void startServer() {
        server = LocalStack.shared().s3();
        server.createBucket(BUCKET);
        raw = S3Client.builder().httpClient(ApacheHttpClient.create())
                .endpointOverride(URI.create(server.endpoint())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .build();
    }

    @AfterAll
    static void closeClient() {
        raw.close();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = "t-" + UUID.randomUUID().toString().substring(0, 8) + "/blobs/";
    }

    @Override
    BlobStore newStore() {
        return store(cacheDir, 1L << 30, Duration.ofMinutes(10));
    }

    /** Opened by its location alone, as the API and the jobs open it (credentials from the SDK's default chain). */
    private S3BlobStore store(Path cache, long cacheBytes, Duration inUse) {
        return S3BlobStore.builder(S3Location.parse(server.location(BUCKET, prefix), Map.of()))
                .cache(cache, cacheBytes).cacheInUse(inUse).partSize(S3BlobStore.MIN_PART_SIZE).build();
    }

    @Override
    List<String> storedBlobs() {
        return raw.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    @Override
    List<String> leftovers() throws IOException {
        List<String> unfinished = raw.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)).uploads().stream()
                .map(u -> "multipart " + u.key()).toList();
        try (Stream<Path> spools = Files.list(cacheDir.resolve("tmp"))) {
            return Stream.concat(unfinished.stream(), spools.map(Path::toString)).toList();
        }
    }

    @Override
    BlobStore unavailableStore(byte[] stored) throws IOException {
        S3Server doomed = S3Server.builder().start();
        doomed.createBucket(BUCKET);
        S3BlobStore store = S3BlobStore.builder(S3Location.parse(doomed.location(BUCKET, prefix), Map.of()))
                .cache(cacheDir, 1L << 30).build();
        String sha = store.put(new ByteArrayInputStream(stored), Long.MAX_VALUE).sha256();
        doomed.close();

        assertThatThrownBy(() -> store.exists(sha)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(doomed.endpoint()).as("never 'absent' when the store cannot be asked");
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(random(10, 7)), 100))
                .hasMessageContaining("s3://" + BUCKET + "/" + prefix).hasMessageContaining(doomed.endpoint());
        assertThat(Files.readAllBytes(store.localFile(sha))).as("a cached copy still serves the decoder").isEqualTo(stored);
        return store;
    }

    @Test
    void aBlobLargerThanOnePartIsUploadedInPartsAndReadBackWhole() throws Exception {
        S3BlobStore store = (S3BlobStore) newStore();
        byte[] bytes = random((int) (2 * S3BlobStore.MIN_PART_SIZE + 123_457), 10);

        StoredBlob blob = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);

        assertThat(blob.location()).isEqualTo(URI.create("s3://" + BUCKET + "/" + prefix + sha256(bytes)));
        String etag = raw.headObject(r -> r.bucket(BUCKET).key(prefix + blob.sha256())).eTag();
        assertThat(etag).as("a multipart object's ETag ends in its part count").endsWith("-3\"");
        assertThat(raw.getObjectAsBytes(r -> r.bucket(BUCKET).key(prefix + blob.sha256())).asByteArray()).isEqualTo(bytes);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void localFileDownloadsIntoTheCacheAndEvictsTheLeastRecentlyUsedPastItsBound() throws Exception {
        S3BlobStore writer = store(cacheDir.resolve("writer"), 1L << 30, Duration.ZERO);
        byte[] a = random(200_000, 11);
        byte[] b = random(200_000, 12);
        byte[] c = random(200_000, 13);
        String shaA = writer.put(new ByteArrayInputStream(a), Long.MAX_VALUE).sha256();
        String shaB = writer.put(new ByteArrayInputStream(b), Long.MAX_VALUE).sha256();
        String shaC = writer.put(new ByteArrayInputStream(c), Long.MAX_VALUE).sha256();
        Path cache = cacheDir.resolve("reader");
        S3BlobStore reader = store(cache, 450_000, Duration.ZERO);

        Path fileA = reader.localFile(shaA);
        assertThat(fileA.getParent()).isEqualTo(cache);
        assertThat(Files.readAllBytes(fileA)).isEqualTo(a);
        reader.localFile(shaB);
        Thread.sleep(20); // distinct use times
        assertThat(reader.localFile(shaA)).as("a hit, which makes A the most recently used").isEqualTo(fileA);
        Thread.sleep(20);
        reader.localFile(shaC);

        assertThat(cached(cache)).as("B, least recently used, made room").containsExactlyInAnyOrder(shaA, shaC);
        assertThat(Files.readAllBytes(reader.localFile(shaB))).as("fetched again when needed").isEqualTo(b);
        assertThat(cached(cache)).hasSize(2).contains(shaB);
    }

    @Test
    void copiesInUseAreNotEvictedSoTheBoundGivesWayToThem() throws Exception {
        S3BlobStore writer = store(cacheDir.resolve("writer"), 1L << 30, Duration.ZERO);
        String shaA = writer.put(new ByteArrayInputStream(random(200_000, 14)), Long.MAX_VALUE).sha256();
        String shaB = writer.put(new ByteArrayInputStream(random(200_000, 15)), Long.MAX_VALUE).sha256();
        Path cache = cacheDir.resolve("reader");
        S3BlobStore reader = store(cache, 250_000, Duration.ofMinutes(10));

        reader.localFile(shaA);
        reader.localFile(shaB);

        assertThat(cached(cache)).containsExactlyInAnyOrder(shaA, shaB);
    }

    @Test
    void aDownloadWhoseBytesDoNotMatchTheirNameIsRefusedAndNotCached() throws Exception {
        S3BlobStore store = (S3BlobStore) newStore();
        byte[] real = random(10_000, 16);
        String sha = sha256(real);
        raw.putObject(r -> r.bucket(BUCKET).key(prefix + sha), RequestBody.fromBytes(random(10_000, 17)));

        assertThatThrownBy(() -> store.localFile(sha)).isInstanceOf(IOException.class).hasMessageContaining("not its name");
        assertThat(cached(cacheDir)).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void refusedCredentialsAreAClearErrorAndUnhealthy() throws Exception {
        S3BlobStore store = S3BlobStore.builder(S3Location.parse(server.location(BUCKET, prefix), Map.of()))
                .cache(cacheDir, 1L << 20)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), "wrong")))
                .build();

        assertThat(store.isHealthy()).isFalse();
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(random(1000, 18)), 10_000))
                .isInstanceOf(IOException.class).hasMessageContaining("s3://" + BUCKET + "/" + prefix).hasMessageContaining("403");
        assertThat(storedBlobs()).isEmpty();
    }

    @Test
    void aMissingBucketIsUnhealthyAndEveryWriteFailsClearly() {
        S3BlobStore store = S3BlobStore.builder(S3Location.parse(server.location("no-such-bucket", ""), Map.of()))
                .cache(cacheDir, 1L << 20).build();

        assertThat(store.isHealthy()).isFalse();
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(random(1000, 19)), 10_000))
                .isInstanceOf(IOException.class).hasMessageContaining("s3://no-such-bucket/");
    }

    @Test
    void anOpenedStreamIsTheBucketsCopyWhenNothingIsCached() throws Exception {
        S3BlobStore writer = store(cacheDir.resolve("writer"), 1L << 30, Duration.ZERO);
        byte[] bytes = random(70_000, 20);
        String sha = writer.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE).sha256();
        S3BlobStore reader = store(cacheDir.resolve("reader"), 1L << 30, Duration.ZERO);

        try (InputStream in = reader.open(sha)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(cached(cacheDir.resolve("reader"))).as("streaming does not fill the cache").isEmpty();
    }

    private static List<String> cached(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
