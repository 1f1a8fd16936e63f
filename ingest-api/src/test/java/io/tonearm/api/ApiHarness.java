package io.tonearm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.api.accounts.Plan;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import io.tonearm.api.http.Json;
import io.tonearm.sinks.postgres.Database;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/** A real API server on a random port over a fresh database, with an HTTP client speaking to it. */
public final class ApiHarness implements AutoCloseable {

    public final Database db;
    public final Path dataDir;
    public final ApiServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    public ApiHarness(Path dataDir, java.util.function.UnaryOperator<ApiConfig> tune) throws IOException {
        this(TestStack.freshDatabase(), dataDir, tune);
    }

    public ApiHarness(Database db, Path dataDir, java.util.function.UnaryOperator<ApiConfig> tune) throws IOException {
        this(db, dataDir, new FileSystemBlobStore(dataDir.resolve("blobs")), tune);
    }

    /** With another blob store than {@code dataDir/blobs} (an S3 bucket). */
    public ApiHarness(Path dataDir, BlobStore blobs, java.util.function.UnaryOperator<ApiConfig> tune) {
        this(TestStack.freshDatabase(), dataDir, blobs, tune);
    }

    private ApiHarness(Database db, Path dataDir, BlobStore blobs, java.util.function.UnaryOperator<ApiConfig> tune) {
        this.db = db;
        this.dataDir = dataDir;
        this.server = new ApiServer(tune.apply(ApiConfig.defaults(dataDir)), db, blobs, Decoders.standard(), List.of()).start(0);
    }

    public String newKey(Plan plan) {
        return server.accounts().createAccount("test-" + plan.id(), plan).plainKey();
    }

    public HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> upload(String key, byte[] bytes, String contentType, String filename) {
        return send(request("/v1/assets/upload" + (filename == null ? "" : "?filename=" + filename), key)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    public HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    public long count(String sql) {
        return db.withConnection(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() throws Exception {
        server.close();
        db.close();
    }

    /** A valid 16-bit mono WAV of a sine, made distinct by {@code seed}. */
    public static byte[] wav(int seed, double seconds) {
        int rate = 8000;
        int n = (int) (rate * seconds);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        double f = 220 + seed;
        for (int i = 0; i < n; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * f * i / rate)));
        }
        return b.array();
    }
}
