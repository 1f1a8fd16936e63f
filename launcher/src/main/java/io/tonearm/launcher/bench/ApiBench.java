package io.tonearm.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;

import javax.sql.DataSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API bench (issue 3), against a running API whose JVM is this one (so its heap can be read):
 * <ol>
 *   <li>upload MB/s of one large file and of many audio-sized files through {@code POST /v1/assets/upload}, each next to
 *       {@code sha256sum} and {@code openssl dgst -sha256} of the same files in the same run, and the heap the
 *       upload needed against the JVM's ceiling;</li>
 *   <li>p50/p99 and requests/s of {@code GET /v1/assets?page_limit=50} and {@code GET /v1/assets/{id}} under
 *       concurrent clients over a seeded catalog, next to {@code GET /metrics} (HTTP, no database), {@code GET /health}
 *       and a bare {@code SELECT 1} through the API's own connection pool, under the same load.</li>
 * </ol>
 * Every call must succeed: a bench that silently measures errors would be worse than none.
 */
final class ApiBench {

    /**
     * @param bigUploadBytes size of the one large generated file
     * @param audioFiles     how many ~10 MB WAV files (distinct bytes) to upload one after another
     * @param audioSeconds   length of each (60 s of 44.1 kHz stereo is 10.6 MB)
     * @param catalog        assets the read load runs over
     * @param clients        concurrent clients in each read phase
     * @param phase          how long each read phase lasts
     */
    record Settings(long bigUploadBytes, int audioFiles, double audioSeconds, int catalog, int clients, Duration phase) {
    }

    private final URI api;
    private final List<String> keys;
    private final DataSource apiPool;
    private final Path work;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** @param keys one per client, all of the same account (the rate limit counts per key) */
    ApiBench(String apiUrl, List<String> keys, DataSource apiPool, Path work, PrintStream out) {
        this.api = URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.keys = List.copyOf(keys);
        this.apiPool = apiPool;
        this.work = work;
        this.out = out;
    }

    void run(Settings s) throws Exception {
        out.printf(Locale.ROOT, "API JVM: heap ceiling %d MB (-Xmx), %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        uploads(s);
        List<String> ids = seedCatalog(s.catalog());
        readLoad(s, ids);
    }

    // ---- uploads

    private void uploads(Settings s) throws Exception {
        out.printf("%n%-58s %10s %12s %10s %10s%n", "upload", "MB/s", "vs sha256sum", "heap peak", "CPU s/GB");
        Path big = work.resolve("big.bin");
        writeRandom(big, s.bigUploadBytes());
        compare(String.format(Locale.ROOT, "1 file of %d MB (random bytes)", s.bigUploadBytes() / 1_000_000), List.of(big));
        Files.delete(big);
        List<Path> audio = new ArrayList<>();
        for (int i = 0; i < s.audioFiles(); i++) {
            Path f = work.resolve("audio-" + i + ".wav");
            BenchTrack.writeWav(f, s.audioSeconds(), i + 1); // distinct recordings: no dedup
            audio.add(f);
        }
        compare(String.format(Locale.ROOT, "%d WAV files of %.1f MB, one after another", audio.size(),
                Files.size(audio.get(0)) / 1e6), audio);
        for (Path f : audio) Files.delete(f);
    }

    private void compare(String what, List<Path> files) throws Exception {
        long bytes = 0;
        for (Path f : files) bytes += Files.size(f);
        double mb = bytes / 1e6;
        Hashers.seconds(Hashers.SHA256SUM, files); // page cache warm for everyone
        double sha = Hashers.seconds(Hashers.SHA256SUM, files);
        double ssl = Hashers.seconds(Hashers.OPENSSL, files);
        System.gc();
        resetHeapPeaks();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (Path f : files) {
            HttpResponse<String> r = http.send(request(keys.get(0), "v1/assets/upload?filename=" + f.getFileName())
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(f)).build(), HttpResponse.BodyHandlers.ofString());
            expect(r, 201, 200);
            long size = Json.mapper().readTree(r.body()).path("size_bytes").asLong();
            if (size != Files.size(f)) throw new IllegalStateException("upload stored " + size + " bytes of " + Files.size(f));
        }
        double upload = (System.nanoTime() - t0) / 1e9;
        double cpuPerGb = (processCpuNanos() - cpu0) / 1e9 / (bytes / 1e9);
        long heapPeak = heapPeakBytes();
        out.printf(Locale.ROOT, "%-58s %10.0f %12.2f %7d MB %10.2f%n", what + ": POST /v1/assets/upload", mb / upload, sha / upload,
                heapPeak >> 20, cpuPerGb);
        out.printf(Locale.ROOT, "%-58s %10.0f %12s%n", "  sha256sum (reference)", mb / sha, "1.00");
        if (!Double.isNaN(ssl)) out.printf(Locale.ROOT, "%-58s %10.0f %12.2f%n", "  openssl dgst -sha256", mb / ssl, sha / ssl);
    }

    private static void writeRandom(Path file, long size) throws IOException {
        byte[] buf = new byte[1 << 20];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                o.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    /**
     * CPU time of this JVM, the API's side and the bench's client side of each upload together (the decoder's probe
     * runs in a child process and is not counted): what an upload costs the machine besides the wait.
     */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of what the upload held (garbage included). */
    private static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    // ---- the catalog the reads run over

    /** Uploads {@code n} tiny WAV files (distinct bytes) from 4 threads; returns their asset ids. */
    private List<String> seedCatalog(int n) throws Exception {
        Path dir = Files.createDirectories(work.resolve("catalog"));
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        double events0 = metric("tonearm_outbox_published_total"), batches0 = metric("tonearm_outbox_batches_total");
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        Path f = dir.resolve("c" + i + ".wav");
                        BenchTrack.writeWav(f, 0.05 + i / 44100.0);
                        HttpResponse<String> r = http.send(request(keys.get(i % keys.size()), "v1/assets/upload?filename=" + f.getFileName())
                                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofFile(f)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        expect(r, 201, 200);
                        ids.add(Json.mapper().readTree(r.body()).path("id").asText());
                        Files.delete(f);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        Files.delete(dir);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (processCpuNanos() - cpu0) / 1e6 / n;
        out.printf(Locale.ROOT, "%ncatalog: %d assets uploaded in %.1f s (%.0f uploads/s from 4 clients, each probed by the decoder)%n",
                n, seconds, n / seconds);
        awaitPublished(events0 + n); // one asset event per upload: the relay's last batches
        out.printf(Locale.ROOT, "  JVM CPU %.1f ms per upload (API, Kafka broker, clients); outbox: %.0f events in %.0f Kafka transactions%n",
                cpuMs, metric("tonearm_outbox_published_total") - events0, metric("tonearm_outbox_batches_total") - batches0);
        return List.copyOf(ids);
    }

    // ---- read load

    /** One kind of call a client repeats; throws when the answer is wrong. */
    private interface Call {
        void run(int client) throws Exception;
    }

    private void readLoad(Settings s, List<String> ids) throws Exception {
        out.printf(Locale.ROOT, "%n%-58s %10s %10s %10s %14s%n", String.format(Locale.ROOT, "%d concurrent clients, %d s per row",
                s.clients(), s.phase().toSeconds()), "req/s", "p50 ms", "p99 ms", "p50 vs /metrics");
        Call metrics = c -> expect(get(null, "metrics"), 200);
        Latencies reference = phase(s, metrics);
        row("GET /metrics (HTTP, no database; reference)", reference, s, reference);
        row("GET /health (SELECT 1 + Kafka round trip)", phase(s, c -> expect(get(null, "health"), 200)), s, reference);
        row("SELECT 1 through the API's pool (no HTTP)", phase(s, c -> selectOne()), s, reference);
        Latencies list = phase(s, c -> {
            JsonNode page = Json.mapper().readTree(expect(get(keys.get(c % keys.size()), "v1/assets?page_limit=50"), 200).body());
            // the account also holds the upload phase's assets: a small catalog still fills a page of at least its size
            if (page.path("items").size() < Math.min(50, ids.size())) throw new IllegalStateException("short page: " + page);
        });
        row("GET /v1/assets?page_limit=50", list, s, reference);
        Latencies one = phase(s, c -> {
            String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
            expect(get(keys.get(c % keys.size()), "v1/assets/" + id), 200);
        });
        row("GET /v1/assets/{id}", one, s, reference);
    }

    private Latencies phase(Settings s, Call call) throws Exception {
        call.run(0); // fail fast, before threads
        Latencies lat = new Latencies();
        long end = System.nanoTime() + s.phase().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(s.clients());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < s.clients(); c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        call.run(client);
                        lat.add(System.nanoTime() - t0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        return lat;
    }

    private void row(String what, Latencies l, Settings s, Latencies reference) {
        double p50 = l.percentileMillis(50);
        out.printf(Locale.ROOT, "%-58s %10.0f %10.2f %10.2f %14.1f%n", what, l.count() / (double) s.phase().toSeconds(), p50,
                l.percentileMillis(99), p50 / reference.percentileMillis(50));
    }

    private void selectOne() throws Exception {
        try (Connection c = apiPool.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            if (!rs.next()) throw new IllegalStateException("SELECT 1 returned nothing");
        }
    }

    // ---- HTTP

    private HttpRequest.Builder request(String key, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofMinutes(10));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    /** Until the outbox relay has published {@code total} events in all, or 30 s. */
    private void awaitPublished(double total) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (metric("tonearm_outbox_published_total") < total && System.nanoTime() < deadline) Thread.sleep(100);
    }

    /** The sum of a counter's samples on the API's {@code /metrics} (Prometheus text), 0 when absent. */
    private double metric(String name) throws Exception {
        double sum = 0;
        for (String line : expect(get(null, "metrics"), 200).body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private HttpResponse<String> get(String key, String path) throws Exception {
        return http.send(request(key, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int... statuses) {
        for (int s : statuses) if (r.statusCode() == s) return r;
        throw new IllegalStateException(r.request().method() + " " + r.request().uri().getPath() + " answered "
                + r.statusCode() + ": " + r.body());
    }
}
