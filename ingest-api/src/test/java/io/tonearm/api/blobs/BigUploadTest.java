package io.tonearm.api.blobs;

import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.S3Server;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import io.tonearm.sinks.blobs.S3BlobStore;
import io.tonearm.sinks.blobs.S3Location;
import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiConfig;
import io.tonearm.api.ApiHarness;
import io.tonearm.api.accounts.Plan;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads generated on the fly, through HTTP, in a JVM whose heap is far smaller than the body (surefire runs this
 * class alone with {@code -Xmx96m}): the server must stream to disk while hashing, and on to an S3 bucket in parts
 * without holding one in memory.
 */
class BigUploadTest {

    private static final long SIZE = 300L * 1000 * 1000;
    /** Three parts of 64 MiB: a client that buffered one part (as the SDK's URLConnection client does) runs out of heap. */
    private static final long S3_SIZE = 160L * 1000 * 1000;

    @Test
    void streamsAFileLargerThanTheHeapAndHashesItOnTheWay(@TempDir Path dir) throws Exception {
        // Meaningful only with a heap smaller than the body: the surefire execution "big-upload-small-heap".
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < SIZE / 2, "needs a heap smaller than the upload");
        try (ApiHarness api = new ApiHarness(dir, c -> c)) {
            String key = api.newKey(Plan.PRO);
            Generated body = new Generated(SIZE);
            long t0 = System.nanoTime();

            HttpResponse<String> r = api.send(api.request("/v1/assets/upload?filename=big.bin", key)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), SIZE))
                    .build());

            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("300 MB upload: %.1f s, %.0f MB/s, heap max %d MB%n", seconds, SIZE / 1e6 / seconds,
                    Runtime.getRuntime().maxMemory() >> 20);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode a = json(r);
            String expected = HexFormat.of().formatHex(body.digest.digest());
            assertThat(a.get("sha256").asText()).isEqualTo(expected);
            assertThat(a.get("size_bytes").asLong()).isEqualTo(SIZE);
            assertThat(a.get("status").asText()).as("above 200 MB the probe runs in the background").isEqualTo("processing");
            Path blob = new FileSystemBlobStore(dir.resolve("blobs")).pathOf(expected);
            assertThat(Files.size(blob)).isEqualTo(SIZE);

            String status = "processing";
            for (int i = 0; i < 300 && status.equals("processing"); i++) {
                Thread.sleep(100);
                status = json(api.get("/v1/assets/" + a.get("id").asText(), key)).get("status").asText();
            }
            assertThat(status).as("random bytes are not audio").isEqualTo("failed");
        }
    }

    @Test
    void streamsAFileLargerThanTheHeapIntoAnS3BucketInParts(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < S3_SIZE, "needs a heap smaller than the upload");
        S3Server s3 = LocalStack.shared().s3();
        s3.createBucket("big-uploads");
        String location = s3.location("big-uploads", "blobs");
        BlobStore bucket = S3BlobStore.builder(S3Location.parse(location, Map.of())).cache(dir.resolve("cache"), 1L << 30).build();
        try (ApiHarness api = new ApiHarness(dir, bucket, c -> c.withProbeAsyncAboveBytes(0))) {
            String key = api.newKey(Plan.PRO);
            Generated body = new Generated(S3_SIZE);
            long t0 = System.nanoTime();

            HttpResponse<String> r = api.send(api.request("/v1/assets/upload?filename=big.bin", key)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), S3_SIZE))
                    .build());

            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d MB upload into S3 (3 parts): %.1f s, %.0f MB/s, heap max %d MB%n", S3_SIZE / 1_000_000,
                    seconds, S3_SIZE / 1e6 / seconds, Runtime.getRuntime().maxMemory() >> 20);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String expected = HexFormat.of().formatHex(body.digest.digest());
            assertThat(json(r).get("sha256").asText()).isEqualTo(expected);
        }
        BlobStore reader = S3BlobStore.builder(S3Location.parse(location, Map.of())).cache(dir.resolve("other-cache"), 1L << 30).build();
        MessageDigest stored = MessageDigest.getInstance("SHA-256");
        long size = 0;
        try (InputStream in = reader.open(HexFormat.of().formatHex(new Generated(S3_SIZE).drain()))) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) != -1; size += n) stored.update(buffer, 0, n);
        }
        assertThat(size).isEqualTo(S3_SIZE);
        assertThat(HexFormat.of().formatHex(stored.digest())).as("the bucket holds exactly the uploaded bytes")
                .isEqualTo(HexFormat.of().formatHex(new Generated(S3_SIZE).drain()));
    }

    /** Deterministic pseudo-random bytes (xorshift), hashed as they are handed out; never held in memory. */
    static final class Generated extends InputStream {
        final MessageDigest digest;
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;

        Generated(long size) throws Exception {
            this.remaining = size;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        /** Reads everything and returns the SHA-256 of what it handed out. */
        byte[] drain() {
            byte[] buffer = new byte[1 << 16];
            while (read(buffer, 0, buffer.length) > 0) {
                // hashed by read
            }
            return digest.digest();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                if ((i & 7) == 0) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                }
                b[off + i] = (byte) (state >>> ((i & 7) * 8));
            }
            digest.update(b, off, n);
            remaining -= n;
            return n;
        }
    }
}
