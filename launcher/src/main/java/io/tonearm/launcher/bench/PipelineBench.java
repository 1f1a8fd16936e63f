package io.tonearm.launcher.bench;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.sinks.postgres.Database;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The pipeline bench (issue 4), end to end through the API: upload → the standard set requested (one
 * {@code POST /v1/<endpoint>} per analysis, as {@code tonearm ingest --models} does) → every result row present in
 * PostgreSQL. Recordings per minute under a burst next to the bare runner ({@code tonearm analyze}'s code) on the same
 * files in the same JVM and run, before and after; upload → results latency at light load (one recording at a
 * time) and under the burst.
 */
final class PipelineBench {

    /** The processing endpoints that make up the standard set, and the analyzer each runs. */
    static final Map<String, String> STANDARD_ENDPOINTS = new LinkedHashMap<>(Map.of(
            "bpm", "bpm", "key", "key", "lufs", "loudness-ebur128", "beatgrid", "beatgrid", "chords", "chords"));

    /**
     * @param light       recordings sent one at a time (each waits for the previous one's results)
     * @param burst       recordings sent at once
     * @param seconds     length of each recording (44.1 kHz stereo WAV)
     * @param parallelism the job's parallelism; the bare runner gets as many threads
     */
    record Settings(int light, int burst, double seconds, int parallelism) {
    }

    private static final String STANDARD_SET = String.join(",", StandardAnalyzers.STANDARD_SET);

    private final URI api;
    private final String key;
    private final Database db;
    private final Path work;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AnalyzerRegistry registry = StandardAnalyzers.registry();
    private final AnalysisRunner runner = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(10));
    private int variant = 1; // the next track variant: every generated file is a different recording

    PipelineBench(String apiUrl, String key, Database db, Path work, PrintStream out) {
        this.api = URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.key = key;
        this.db = db;
        this.work = work;
        this.out = out;
    }

    /** What the bench measured, for the caller (and the test) to check. */
    record Figures(double bareSeconds, double bareSplitSeconds, double bareIndexedSeconds, double pipelineSeconds,
                   double steadySeconds, List<Double> lightLatencies, List<Double> burstLatencies, int burst) {
        double recordingsPerMinute() {
            return burst * 60 / pipelineSeconds;
        }

        /** Between the first and the last recording done: the rate once the pipeline is full (burst − 1 recordings). */
        double steadyRecordingsPerMinute() {
            return (burst - 1) * 60 / steadySeconds;
        }

        double bareRecordingsPerMinute() {
            return burst * 60 / bareSeconds;
        }
    }

    Figures run(Settings s) throws Exception {
        List<Path> light = tracks("light", s.light(), s.seconds());
        List<Path> burst = tracks("burst", s.burst(), s.seconds() + 0.5);
        analyze(burst.subList(0, 1), 1, List.of(STANDARD_SET + ",fingerprint")); // warm-up (JIT, decoder)
        double bareBefore = analyze(burst, s.parallelism(), List.of(STANDARD_SET));
        double bareSplit = analyze(burst, s.parallelism(), StandardAnalyzers.STANDARD_SET);
        double bareIndexed = analyze(burst, s.parallelism(), List.of(STANDARD_SET + ",fingerprint"));

        List<Double> lightLatencies = new ArrayList<>();
        for (Path f : light) {
            long t0 = System.nanoTime();
            String sha = uploadAndRequest(f);
            awaitResults(List.of(sha), Map.of(sha, t0), lightLatencies);
        }

        long t0 = System.nanoTime();
        Map<String, Long> started = new HashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> shas = new ArrayList<>();
            for (Path f : burst) {
                shas.add(clients.submit(() -> {
                    long start = System.nanoTime();
                    String sha = uploadAndRequest(f);
                    synchronized (started) {
                        started.put(sha, start);
                    }
                    return sha;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<String> sha : shas) all.add(sha.get());
            List<Double> burstLatencies = new ArrayList<>();
            List<Long> finished = awaitResults(all, started, burstLatencies);
            double steady = (finished.get(finished.size() - 1) - finished.get(0)) / 1e9;
            double pipeline = (System.nanoTime() - t0) / 1e9;
            double bareAfter = analyze(burst, s.parallelism(), List.of(STANDARD_SET));
            Figures fig = new Figures((bareBefore + bareAfter) / 2, bareSplit, bareIndexed, pipeline, steady, lightLatencies, burstLatencies, s.burst());
            print(s, fig, bareBefore, bareAfter);
            return fig;
        } finally {
            clients.shutdownNow();
        }
    }

    private List<Path> tracks(String name, int n, double seconds) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = work.resolve(name + "-" + i + ".wav");
            BenchTrack.writeWav(f, seconds, variant++); // distinct recordings, as in a catalog
            files.add(f);
        }
        return files;
    }

    /**
     * Seconds for the bare runner over {@code files} on {@code threads} threads, one decode per selection: the
     * standard set on one decode, one decode per analyzer (as five separate requests would make a job without
     * request gathering do), or the standard set plus the fingerprint every recording gets in the pipeline.
     */
    private double analyze(List<Path> files, int threads, List<String> selections) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Path f : files) {
                done.add(pool.submit(() -> {
                    for (String sel : selections) {
                        AnalysisReport r = runner.analyze(f, registry.parse(sel));
                        if (!r.ok()) throw new IllegalStateException("bare analysis of " + f + ": " + r.error() + " " + r.failures());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Uploads {@code file} and requests the standard set; returns its sha256. */
    private String uploadAndRequest(Path file) throws Exception {
        HttpResponse<String> up = expect(http.send(request("v1/assets/upload?filename=" + file.getFileName())
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString()), 201);
        var asset = Json.mapper().readTree(up.body());
        String body = Json.mapper().writeValueAsString(Map.of("asset_id", asset.path("id").asText()));
        for (String endpoint : STANDARD_ENDPOINTS.keySet()) {
            expect(http.send(request("v1/" + endpoint).header("Content-Type", "application/json")
                    .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()), 202, 200);
        }
        return asset.path("sha256").asText();
    }

    /**
     * Polls PostgreSQL every 20 ms until every recording has its standard set's result rows; adds each one's
     * seconds since {@code started} to {@code latencies}; returns when each was done ({@link System#nanoTime()},
     * ascending). A failed result or job ends the bench.
     */
    private List<Long> awaitResults(List<String> shas, Map<String, Long> started, List<Double> latencies) throws Exception {
        List<Long> finished = new ArrayList<>();
        List<String> waiting = new ArrayList<>(shas);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (!waiting.isEmpty()) {
            Map<String, Integer> counts = resultCounts(waiting);
            long now = System.nanoTime();
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (e.getValue() >= STANDARD_ENDPOINTS.size()) {
                    latencies.add((now - started.get(e.getKey())) / 1e9);
                    finished.add(now);
                    waiting.remove(e.getKey());
                }
            }
            if (now > deadline) throw new IllegalStateException("no results after 30 min for " + waiting);
            if (!waiting.isEmpty()) Thread.sleep(20);
        }
        return finished;
    }

    private Map<String, Integer> resultCounts(List<String> shas) {
        return db.withConnection(c -> {
            Map<String, Integer> counts = new HashMap<>();
            Array array = c.createArrayOf("text", shas.toArray());
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256, count(*) FILTER (WHERE status = 'succeeded'), "
                    + "count(*) FILTER (WHERE status = 'failed') FROM analysis_results WHERE sha256 = ANY(?) GROUP BY sha256")) {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getInt(3) > 0) throw new IllegalStateException("an analysis failed for " + rs.getString(1));
                        counts.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM jobs WHERE status = 'failed' AND sha256 = ANY(?)")) {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(1) > 0) throw new IllegalStateException(rs.getInt(1) + " jobs failed");
                }
            }
            return counts;
        });
    }

    private void print(Settings s, Figures f, double bareBefore, double bareAfter) {
        int n = s.burst();
        out.printf(Locale.ROOT, "%n%d + %d recordings of %.0f s (44.1 kHz stereo WAV), standard set %s, parallelism %d%n",
                s.light(), n, s.seconds(), StandardAnalyzers.STANDARD_SET, s.parallelism());
        out.printf(Locale.ROOT, "%-62s %12s %10s%n", "", "recordings/min", "vs bare");
        out.printf(Locale.ROOT, "%-62s %12.1f %10s%n", String.format(Locale.ROOT,
                "bare runner, one decode per file (reference; %.1f s / %.1f s)", bareBefore, bareAfter), f.bareRecordingsPerMinute(), "1.00");
        out.printf(Locale.ROOT, "%-62s %12.1f %10.2f%n", "bare runner, one decode per analyzer (as 5 requests)",
                n * 60 / f.bareSplitSeconds(), f.bareSeconds() / f.bareSplitSeconds());
        out.printf(Locale.ROOT, "%-62s %12.1f %10.2f%n", "bare runner, standard set + fingerprint (what the job computes)",
                n * 60 / f.bareIndexedSeconds(), f.bareSeconds() / f.bareIndexedSeconds());
        out.printf(Locale.ROOT, "%-62s %12.1f %10.2f%n", "pipeline, burst: first upload -> last result row",
                f.recordingsPerMinute(), f.bareSeconds() / f.pipelineSeconds());
        if (n > 1) {
            out.printf(Locale.ROOT, "%-62s %12.1f %10.2f%n", "pipeline, steady state: first -> last recording done",
                    f.steadyRecordingsPerMinute(), f.steadyRecordingsPerMinute() / f.bareRecordingsPerMinute());
        }
        out.printf(Locale.ROOT, "pipeline vs the bare runner doing the same analyses (standard set + fingerprint): burst %.2f",
                f.bareIndexedSeconds() / f.pipelineSeconds());
        if (n > 1) out.printf(Locale.ROOT, ", steady state %.2f", f.steadyRecordingsPerMinute() / (n * 60 / f.bareIndexedSeconds()));
        out.println();
        out.printf(Locale.ROOT, "upload -> all result rows, one at a time: p50 %.2f s, p99 %.2f s (bare per file %.2f s)%n",
                percentile(f.lightLatencies(), 50), percentile(f.lightLatencies(), 99), f.bareSeconds() / n * s.parallelism());
        out.printf(Locale.ROOT, "upload -> all result rows, burst of %d:  p50 %.2f s, p99 %.2f s%n", n,
                percentile(f.burstLatencies(), 50), percentile(f.burstLatencies(), 99));
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + key);
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int... statuses) {
        for (int s : statuses) if (r.statusCode() == s) return r;
        throw new IllegalStateException(r.request().method() + " " + r.request().uri().getPath() + " answered "
                + r.statusCode() + ": " + r.body());
    }
}
