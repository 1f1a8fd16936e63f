package io.tonearm.launcher.bench;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.api.jobs.JobChanges;
import io.tonearm.sinks.postgres.Database;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The pipeline bench (issue 4), end to end through the API: upload → the standard set requested (one
 * {@code POST /v1/<endpoint>} per analysis, as {@code tonearm ingest --models} does) → every result row present in
 * PostgreSQL. Recordings per minute under a burst next to the bare runner ({@code tonearm analyze}'s code) on the same
 * files in the same JVM; upload → results latency at light load (one recording at a time) and under the burst.
 * <p>
 * A shared machine's speed moves by tens of percent within minutes, so one pipeline phase between one bare phase
 * before and one after ranks nothing. The bench therefore runs {@code rounds} rounds, each with recordings of its own
 * (the pipeline would answer repeated ones from its state) and its own bare reference measured right before and
 * right after its pipeline phase, and reports each round's ratios and their median.
 */
final class PipelineBench implements AutoCloseable {

    /** The processing endpoints that make up the standard set, and the analyzer each runs. */
    static final Map<String, String> STANDARD_ENDPOINTS = new LinkedHashMap<>(Map.of(
            "bpm", "bpm", "key", "key", "lufs", "loudness-ebur128", "beatgrid", "beatgrid", "chords", "chords"));

    /**
     * @param light       recordings sent one at a time (each waits for the previous one's results), before the rounds
     * @param burst       recordings sent at once, in each round
     * @param seconds     length of each recording (44.1 kHz stereo WAV)
     * @param parallelism the job's parallelism; the bare runner gets as many threads
     * @param rounds      rounds of bare → bare + fingerprint → pipeline burst → bare, each on new recordings
     * @param warmUps     rounds run first and left out of the median: the first burst also pays for compiling the
     *                    pipeline's code paths (API, Kafka, Flink, sinks), which the bare runner's warm-up does not cover
     */
    record Settings(int light, int burst, double seconds, int parallelism, int rounds, int warmUps) {
        Settings {
            if (light < 0 || burst < 2 || rounds < 1 || warmUps < 0 || parallelism < 1 || !(seconds > 0)) { // steady: two done at least
                throw new IllegalArgumentException("light ≥ 0, burst ≥ 2, rounds ≥ 1, warm-ups ≥ 0, parallelism ≥ 1 and seconds > 0 expected");
            }
        }
    }

    private static final String STANDARD_SET = String.join(",", StandardAnalyzers.STANDARD_SET);

    private final URI api;
    private final String key;
    private final Database db;
    private final Path postgresData;
    private final Path work;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AnalyzerRegistry registry = StandardAnalyzers.registry();
    private final AnalysisRunner runner = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(10));
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final JobChanges changes;
    private int variant = 1; // the next track variant: every generated file is a different recording

    /** {@code postgresData}: the data directory of the stack's PostgreSQL, for its CPU time (null: not counted). */
    PipelineBench(String apiUrl, String key, Database db, Path postgresData, Path work, PrintStream out) {
        this.api = URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.key = key;
        this.db = db;
        this.postgresData = postgresData;
        this.work = work;
        this.out = out;
        this.changes = new JobChanges(db.dataSource());
    }

    /**
     * One round: seconds of the bare standard set before and after the pipeline phase (their mean is the round's
     * reference), of the bare standard set + fingerprint (what the job computes), of the burst from its first upload
     * to its last result row, and from its first recording done to its last (the rate once the pipeline is full).
     */
    record Round(double bareBefore, double bareAfter, double bareIndexed, double pipeline, double steady,
                 List<Double> latencies, int burst, double loadBefore, double loadAfter,
                 Map<String, Double> bareCpu, Map<String, Double> pipelineCpu, SubtaskSplit split) {
        double bareSeconds() {
            return (bareBefore + bareAfter) / 2;
        }

        /** Recordings per minute of the bare standard set: the reference. */
        double bareRate() {
            return burst * 60 / bareSeconds();
        }

        double burstRate() {
            return burst * 60 / pipeline;
        }

        /** Between the first and the last recording done: burst − 1 recordings. */
        double steadyRate() {
            return (burst - 1) * 60 / steady;
        }

        /** While every subtask had work ({@link SubtaskSplit}): empty when too few were done by then. */
        Optional<Double> saturatedVsBare() {
            OptionalDouble rate = split.saturatedRate();
            return rate.isPresent() ? Optional.of(rate.getAsDouble() / bareRate()) : Optional.empty();
        }

        double indexedRate() {
            return burst * 60 / bareIndexed;
        }

        double burstVsBare() {
            return burstRate() / bareRate();
        }

        double steadyVsBare() {
            return steadyRate() / bareRate();
        }

        /**
         * The bare standard set + fingerprint's CPU per recording over the pipeline's, all parts summed: the rate the
         * pipeline would reach against that bare run if cores were all it waited for. Empty without CPU figures.
         */
        Optional<Double> cpuVsIndexed() {
            return bareCpu.isEmpty() || pipelineCpu.isEmpty() ? Optional.empty()
                    : Optional.of(total(bareCpu) / total(pipelineCpu));
        }
    }

    private static double total(Map<String, Double> cpu) {
        return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** What the bench measured, for the caller (and the test) to check. */
    record Figures(List<Round> rounds, List<Double> lightLatencies) {
        double median(ToDoubleFunction<Round> figure) {
            return PipelineBench.median(rounds.stream().mapToDouble(figure).boxed().toList());
        }

        List<Double> burstLatencies() {
            return rounds.stream().flatMap(r -> r.latencies().stream()).toList();
        }
    }

    Figures run(Settings s) throws Exception {
        List<Path> light = tracks("light", s.light(), s.seconds());
        analyze(light.isEmpty() ? tracks("warm-up", 1, s.seconds()) : light.subList(0, 1), 1,
                STANDARD_SET + ",fingerprint"); // warm-up (JIT, decoder)
        List<Double> lightLatencies = new ArrayList<>();
        for (Path f : light) {
            long t0 = System.nanoTime();
            String sha = uploadAndRequest(f);
            awaitResults(List.of(sha), Map.of(sha, t0), lightLatencies);
        }
        printHeader(s);
        List<Round> rounds = new ArrayList<>();
        for (int i = 1 - s.warmUps(); i <= s.rounds(); i++) {
            List<Path> burst = tracks("round" + i, s.burst(), s.seconds() + 0.5);
            Round r = round(burst, s.parallelism());
            if (i >= 1) rounds.add(r);
            printRound(i >= 1 ? Integer.toString(i) : "warm-up", r);
            for (Path f : burst) Files.delete(f); // the blob store holds them now; a long run must not fill the disk
        }
        Figures fig = new Figures(rounds, lightLatencies);
        printSummary(s, fig);
        return fig;
    }

    private Round round(List<Path> burst, int parallelism) throws Exception {
        double load = os.getSystemLoadAverage();
        double bareBefore = analyze(burst, parallelism, STANDARD_SET);
        Optional<CpuShares> cpu0 = CpuShares.now(postgresData);
        double bareIndexed = analyze(burst, parallelism, STANDARD_SET + ",fingerprint");
        Optional<CpuShares> cpu1 = CpuShares.now(postgresData);
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
            List<Double> latencies = new ArrayList<>();
            Map<String, Long> done = awaitResults(all, started, latencies);
            List<Long> finished = new ArrayList<>(done.values());
            double steady = (finished.get(finished.size() - 1) - finished.get(0)) / 1e9;
            double pipeline = (System.nanoTime() - t0) / 1e9;
            Optional<CpuShares> cpu2 = CpuShares.now(postgresData);
            double bareAfter = analyze(burst, parallelism, STANDARD_SET);
            return new Round(bareBefore, bareAfter, bareIndexed, pipeline, steady, latencies, burst.size(), load,
                    os.getSystemLoadAverage(), perRecording(cpu0, cpu1, burst.size()), perRecording(cpu1, cpu2, burst.size()),
                    SubtaskSplit.of(done, parallelism));
        } finally {
            clients.shutdownNow();
        }
    }

    private static Map<String, Double> perRecording(Optional<CpuShares> from, Optional<CpuShares> to, int recordings) {
        return from.isPresent() && to.isPresent() ? to.get().perRecordingSince(from.get(), recordings) : Map.of();
    }

    /**
     * Synthesizes {@code n} tracks on every core: nothing is measured meanwhile, and one thread took longer than the
     * round it prepared (≈7 s per 3-minute track).
     */
    private List<Path> tracks(String name, int n, double seconds) throws Exception {
        List<Path> files = new ArrayList<>();
        List<Future<?>> written = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            for (int i = 0; i < n; i++) {
                Path f = work.resolve(name + "-" + i + ".wav");
                int v = variant++; // distinct recordings, as in a catalog
                written.add(pool.submit(() -> {
                    BenchTrack.writeWav(f, seconds, v);
                    return null;
                }));
                files.add(f);
            }
            for (Future<?> w : written) w.get();
        } finally {
            pool.shutdownNow();
        }
        return files;
    }

    /** Seconds for the bare runner over {@code files} on {@code threads} threads, one decode per file. */
    private double analyze(List<Path> files, int threads, String selection) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Path f : files) {
                done.add(pool.submit(() -> {
                    AnalysisReport r = runner.analyze(f, registry.parse(selection));
                    if (!r.ok()) throw new IllegalStateException("bare analysis of " + f + ": " + r.error() + " " + r.failures());
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
     * Waits until every recording has its standard set's result rows; adds each one's seconds since {@code started}
     * to {@code latencies}; returns when each was done ({@link System#nanoTime()}), in the order they were. Woken by the
     * results trigger's NOTIFY (as the API's waiting requests are), it counts a recording's rows only when one was
     * written, and all of them once a second besides: polling PostgreSQL every few milliseconds cost the very cores
     * the pipeline is measured on (two re-planned queries per poll, a fifth of a core at 20 ms). A failed result or
     * job ends the bench.
     */
    private Map<String, Long> awaitResults(List<String> shas, Map<String, Long> started, List<Double> latencies) throws Exception {
        Map<String, Long> finished = new LinkedHashMap<>();
        Set<String> waiting = new LinkedHashSet<>(shas);
        BlockingQueue<String> written = new LinkedBlockingQueue<>();
        List<JobChanges.Subscription> subscriptions = new ArrayList<>();
        for (String sha : shas) subscriptions.add(changes.subscribeResults(sha, () -> written.add(sha)));
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            Set<String> check = new LinkedHashSet<>(waiting); // rows may have been written before the subscription
            while (!waiting.isEmpty()) {
                long now = System.nanoTime();
                for (Map.Entry<String, Integer> e : resultCounts(new ArrayList<>(check)).entrySet()) {
                    if (e.getValue() >= STANDARD_ENDPOINTS.size() && waiting.remove(e.getKey())) {
                        latencies.add((now - started.get(e.getKey())) / 1e9);
                        finished.put(e.getKey(), now);
                    }
                }
                if (now > deadline) throw new IllegalStateException("no results after 30 min for " + waiting);
                if (waiting.isEmpty()) break;
                check.clear();
                String sha = written.poll(1, TimeUnit.SECONDS);
                if (sha == null) {
                    check.addAll(waiting);
                } else {
                    check.add(sha);
                    written.drainTo(check);
                    check.retainAll(waiting);
                }
            }
        } finally {
            subscriptions.forEach(JobChanges.Subscription::close);
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

    private static final String ROW = "%-7s %7s %7s %9s %8s %8s %8s %8s %8s %8s %11s %7s %9s %8s %8s%n";

    private void printHeader(Settings s) {
        out.printf(Locale.ROOT, "%n%d + %d x %d recordings of %.0f s (44.1 kHz stereo WAV), standard set %s, parallelism %d%n",
                s.light(), s.warmUps() + s.rounds(), s.burst(), s.seconds(), StandardAnalyzers.STANDARD_SET, s.parallelism());
        out.println("recordings/min; each round's reference: the bare runner's standard set before and after its pipeline phase"
                + (s.warmUps() > 0 ? "; warm-up rounds are left out of the median" : ""));
        out.printf(Locale.ROOT, ROW, "", "load", "bare", "bare", "bare+fp", "burst", "burst", "burst", "steady", "steady",
                "steady", "split", "all busy", "CPU", "JIT");
        out.printf(Locale.ROOT, ROW, "round", "avg", "s", "rec/min", "vs bare", "rec/min", "vs bare", "vs +fp", "rec/min",
                "vs bare", "vs +fp", "", "vs bare", "vs +fp", "s/rec");
    }

    private void printRound(String name, Round r) {
        out.printf(Locale.ROOT, ROW, name, f1(r.loadBefore()) + "-" + f1(r.loadAfter()),
                f1(r.bareBefore()) + "/" + f1(r.bareAfter()), f1(r.bareRate()), f2(r.indexedRate() / r.bareRate()),
                f1(r.burstRate()), f2(r.burstVsBare()), f2(r.burstRate() / r.indexedRate()),
                f1(r.steadyRate()), f2(r.steadyVsBare()), f2(r.steadyRate() / r.indexedRate()),
                r.split().label(), r.saturatedVsBare().map(PipelineBench::f2).orElse("-"),
                r.cpuVsIndexed().map(PipelineBench::f2).orElse("-"), jitPerRecording(r));
    }

    /** The burst's JIT compilation per recording, round by round: how much of the pipeline's cost is a young JVM's. */
    private static String jitPerRecording(Round r) {
        Double jit = r.pipelineCpu().get(CpuShares.JIT);
        return jit == null ? "-" : String.format(Locale.ROOT, "%.3f", jit);
    }

    private void printSummary(Settings s, Figures f) {
        if (s.rounds() > 1) {
            out.printf(Locale.ROOT, ROW, "median", "", "", f1(f.median(Round::bareRate)),
                    f2(f.median(r -> r.indexedRate() / r.bareRate())), f1(f.median(Round::burstRate)),
                    f2(f.median(Round::burstVsBare)), f2(f.median(r -> r.burstRate() / r.indexedRate())),
                    f1(f.median(Round::steadyRate)), f2(f.median(Round::steadyVsBare)),
                    f2(f.median(r -> r.steadyRate() / r.indexedRate())), "",
                    f.rounds().stream().allMatch(r -> r.saturatedVsBare().isPresent()) ? f2(f.median(r -> r.saturatedVsBare().orElseThrow())) : "-",
                    f.rounds().stream().allMatch(r -> r.cpuVsIndexed().isPresent()) ? f2(f.median(r -> r.cpuVsIndexed().orElseThrow())) : "-",
                    "");
        }
        out.println("burst: first upload -> last result row; steady: first -> last recording done (burst - 1 recordings);"
                + " split: recordings per subtask of the job (keyed by sha256); all busy: first recording done -> the last one of"
                + " the subtask that ran dry first (the rate under a backlog, without the burst's one-core tail);"
                + " +fp: the bare runner doing what the job does (standard set + fingerprint); CPU: the bare +fp run's CPU"
                + " seconds per recording over the burst's, every process of the stack counted (below); JIT: the pipeline JVM's"
                + " compiler threads' CPU seconds per recording during the burst");
        if (!f.lightLatencies().isEmpty()) {
            out.printf(Locale.ROOT, "upload -> all result rows, one at a time: p50 %.2f s, p99 %.2f s (bare per file %.2f s)%n",
                    percentile(f.lightLatencies(), 50), percentile(f.lightLatencies(), 99),
                    f.median(r -> r.bareSeconds() / r.burst() * s.parallelism()));
        }
        out.printf(Locale.ROOT, "upload -> all result rows, burst of %d:  p50 %.2f s, p99 %.2f s%n", s.burst(),
                percentile(f.burstLatencies(), 50), percentile(f.burstLatencies(), 99));
        printCpu(f);
    }

    /**
     * CPU seconds per recording by part, medians over the rounds: the bare standard set + fingerprint phase (the
     * stack idles meanwhile; its background counts) against the pipeline's burst (upload to last result row).
     */
    private void printCpu(Figures f) {
        if (f.rounds().stream().anyMatch(r -> r.cpuVsIndexed().isEmpty())) return;
        out.println("CPU seconds per recording (medians of the rounds): bare standard set + fingerprint | pipeline burst");
        for (String part : f.rounds().get(0).pipelineCpu().keySet()) {
            out.printf(Locale.ROOT, "  %-18s %7.3f | %7.3f%n", part, f.median(r -> r.bareCpu().get(part)),
                    f.median(r -> r.pipelineCpu().get(part)));
        }
        out.printf(Locale.ROOT, "  %-18s %7.3f | %7.3f   bare / pipeline %.2f (the rate ratio if cores were all the pipeline waited for)%n",
                "total", f.median(r -> total(r.bareCpu())), f.median(r -> total(r.pipelineCpu())),
                f.median(r -> r.cpuVsIndexed().orElseThrow()));
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Stops listening for written results. */
    @Override
    public void close() throws InterruptedException {
        changes.close();
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(Latencies.nearestRank(sorted.size(), p));
    }

    /** The middle value (the mean of the two middle ones for an even count). */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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
