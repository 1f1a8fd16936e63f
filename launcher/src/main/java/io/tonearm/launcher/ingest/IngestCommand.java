package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.run.AnalysisRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tonearm ingest DIR --api URL --key KEY}: uploads every audio file under DIR, a few at a time, streamed
 * from disk. A local state file remembers what was uploaded (path + size + mtime → sha256, asset id), so a run
 * after an interruption uploads only the rest; the server's SHA-256 dedup answers a re-sent file without storing
 * it twice. With {@code --models} it requests those analyses of each file as soon as it is uploaded (or found
 * uploaded by an earlier run), one job per file and model, recorded in the state so a rerun does not ask twice;
 * {@code --wait} then waits for every job and {@code --out} writes the results. Ends with a summary table; exit
 * code 1 when any file or analysis failed, 2 for a usage error.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Upload every audio file under DIR (recursively) to a Tonearm API; resumable.")
public final class IngestCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "The folder to upload.")
    Path dir;

    @Option(names = "--api", defaultValue = "${env:TONEARM_API:-http://localhost:8080}", paramLabel = "URL",
            description = "The API (env TONEARM_API; default ${DEFAULT-VALUE}).")
    String api;

    @Option(names = "--key", defaultValue = "${env:TONEARM_API_KEY}", paramLabel = "KEY",
            description = "An API key (env TONEARM_API_KEY).")
    String key;

    @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N",
            description = "Uploads at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--models", paramLabel = "M1,M2",
            description = "Analyses to request per file: bpm, key, lufs (loudness-ebur128), key-bpm, beatgrid, chords, "
                    + "pitch. Default: none (upload only); with --wait: bpm,key,lufs,beatgrid,chords.")
    String models;

    @Option(names = "--wait", description = "Wait until every analysis job has finished.")
    boolean waitForJobs;

    @Option(names = "--out", paramLabel = "FILE",
            description = "With --wait: write the results, one per file, as JSON lines or (for a .csv name) CSV.")
    Path outFile;

    @Option(names = "--state", paramLabel = "FILE",
            description = "Where to remember uploads (default: ~/.local/state/tonearm/ingest-<api, key, DIR>.jsonl).")
    Path stateFile;

    @Option(names = "--progress-interval", defaultValue = "10", paramLabel = "SECONDS",
            description = "Seconds between progress lines when stderr is not a terminal (default ${DEFAULT-VALUE}).")
    long progressIntervalSeconds;

    @Spec
    CommandSpec spec;
    private PrintWriter out;
    private PrintWriter err;
    private List<String> endpoints = List.of();
    /** The 402 message once the account ran out of credits: no more requests in this run. */
    private volatile String outOfCredits;
    private final AtomicInteger notRequested = new AtomicInteger();
    /** When the last upload (and its analysis requests) ended, for the upload rate. */
    private long startNanos;
    private long uploadsEndNanos;

    /** What became of one file. */
    enum Outcome { UPLOADED, ALREADY_STORED, RESUMED, NOT_AUDIO, FAILED }

    /**
     * One file and, when analyses were asked, its jobs by endpoint and the errors (a request refused, a job failed)
     * by endpoint; both filled in by the request and wait phases.
     */
    record FileResult(AudioFiles.Found file, Outcome outcome, String assetId, String sha256, String detail,
                      Map<String, Analyses.Job> jobs, Map<String, String> errors) {
        FileResult(AudioFiles.Found file, Outcome outcome, String assetId, String sha256, String detail) {
            this(file, outcome, assetId, sha256, detail, Collections.synchronizedMap(new LinkedHashMap<>()),
                    Collections.synchronizedMap(new LinkedHashMap<>()));
        }
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (key == null || key.isBlank()) {
            err.println("tonearm ingest: --key (or TONEARM_API_KEY) is required");
            return 2;
        }
        if (!Files.isDirectory(dir)) {
            err.println("tonearm ingest: not a directory: " + dir);
            return 2;
        }
        if (concurrency < 1) {
            err.println("tonearm ingest: --concurrency must be >= 1");
            return 2;
        }
        if (outFile != null && !waitForJobs) {
            err.println("tonearm ingest: --out needs --wait (the results exist only once the jobs have finished)");
            return 2;
        }
        try {
            endpoints = models != null ? Models.endpoints(models) : waitForJobs ? Models.STANDARD : List.of();
        } catch (IllegalArgumentException e) {
            err.println("tonearm ingest: --models: " + e.getMessage());
            return 2;
        }
        Path root = dir.toAbsolutePath().normalize();
        long t0 = System.nanoTime();
        startNanos = t0;
        uploadsEndNanos = t0;
        List<AudioFiles.Found> found = AudioFiles.scan(root);
        Path statePath = stateFile != null ? stateFile : defaultStateFile(root);
        List<FileResult> results = new ArrayList<>();
        List<AudioFiles.Found> todo = new ArrayList<>();
        ApiClient client = new ApiClient(api, key.strip());
        try (IngestState state = IngestState.open(statePath)) {
            for (AudioFiles.Found f : found) {
                if (!f.audio()) {
                    results.add(new FileResult(f, Outcome.NOT_AUDIO, null, null, "its first bytes are not a known audio format"));
                    continue;
                }
                var done = state.find(f.path().toString(), f.size(), f.mtimeMillis());
                if (done.isPresent()) {
                    results.add(new FileResult(f, Outcome.RESUMED, done.get().assetId(), done.get().sha256(), null));
                } else {
                    todo.add(f);
                }
            }
            err.printf("tonearm ingest: %d files with audio extensions under %s, %d to upload (%d done in earlier runs); state %s%n",
                    found.size(), root, todo.size(), results.stream().filter(r -> r.outcome() == Outcome.RESUMED).count(),
                    statePath);
            if (!endpoints.isEmpty()) {
                err.printf("tonearm ingest: requesting %s for each file%s%n", String.join(", ", endpoints),
                        waitForJobs ? " and waiting for the results" : "");
            }
            results = run(results, todo, state, client);
        }
        if (outFile != null) {
            ResultsFile.write(outFile, results.stream().map(IngestCommand::row).toList());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        printSummary(results, seconds);
        if (outFile != null) {
            out.println("results: " + outFile);
            out.flush();
        }
        boolean failed = results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED || !r.errors().isEmpty());
        return failed ? 1 : 0;
    }

    private static ResultsFile.Row row(FileResult r) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        if (r.outcome() == Outcome.FAILED || r.outcome() == Outcome.NOT_AUDIO) {
            errors.put("upload", r.outcome() == Outcome.NOT_AUDIO ? "not audio: " + r.detail() : r.detail());
        }
        synchronized (r.jobs()) {
            r.jobs().forEach((endpoint, job) -> {
                if ("succeeded".equals(job.status()) && job.result() != null) {
                    fields.put(endpoint, job.result());
                }
            });
        }
        synchronized (r.errors()) {
            errors.putAll(r.errors());
        }
        return new ResultsFile.Row(r.file().relative(), r.sha256(), r.assetId(), fields, errors);
    }

    /** Uploads {@code todo}; requests the analyses of every file as soon as it has an asset; then waits if asked. */
    private List<FileResult> run(List<FileResult> earlier, List<AudioFiles.Found> todo, IngestState state,
                                 ApiClient client) throws InterruptedException {
        Uploader uploader = new Uploader(client);
        Analyses analyses = new Analyses(client);
        long bytesTotal = todo.stream().mapToLong(AudioFiles.Found::size).sum();
        boolean tty = System.console() != null;
        List<FileResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try (Progress progress = new Progress(todo.size(), bytesTotal, err, tty, tty ? 250 : progressIntervalSeconds * 1000)) {
            List<Future<FileResult>> futures = new ArrayList<>();
            for (FileResult r : earlier) {
                futures.add(pool.submit(() -> requestAnalyses(r, analyses, state, progress)));
            }
            for (AudioFiles.Found f : todo) {
                futures.add(pool.submit(() -> requestAnalyses(uploadOne(f, uploader, state, progress), analyses, state, progress)));
            }
            for (Future<FileResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            uploadsEndNanos = System.nanoTime();
            if (waitForJobs) {
                new JobWaiter(analyses, pool, progress).await(results);
            }
        } finally {
            pool.shutdownNow();
        }
        results.sort(java.util.Comparator.comparing(r -> r.file().relative()));
        return results;
    }

    /**
     * Asks each endpoint not yet asked for this file (the state remembers the jobs of earlier runs); after a 402
     * nothing more is asked, in this run, for any file.
     */
    private FileResult requestAnalyses(FileResult r, Analyses analyses, IngestState state, Progress progress)
            throws InterruptedException {
        if (endpoints.isEmpty() || r.assetId() == null || r.sha256() == null) {
            return r;
        }
        IngestState.Entry entry = state.find(r.file().path().toString(), r.file().size(), r.file().mtimeMillis())
                .orElse(new IngestState.Entry(r.file().path().toString(), r.file().size(), r.file().mtimeMillis(),
                        r.sha256(), r.assetId()));
        for (String endpoint : endpoints) {
            String known = entry.jobs().get(endpoint);
            if (known != null) {
                r.jobs().put(endpoint, new Analyses.Job(known, "queued", null, null));
                progress.jobsTotal.incrementAndGet();
                continue;
            }
            String refused = outOfCredits;
            if (refused != null) {
                r.errors().put(endpoint, "not requested: out of credits (" + refused + ")");
                notRequested.incrementAndGet();
                continue;
            }
            try {
                Analyses.Job job = analyses.request(endpoint, r.assetId(), r.sha256());
                progress.jobsTotal.incrementAndGet();
                r.jobs().put(endpoint, job);
                if (job.jobId() != null) {
                    entry = entry.withJob(endpoint, job.jobId());
                }
                if (job.terminal()) {
                    progress.jobFinished(job);
                    if (!"succeeded".equals(job.status())) {
                        r.errors().put(endpoint, job.status() + ": " + job.error());
                    }
                }
            } catch (Analyses.OutOfCredits e) {
                outOfCredits = e.getMessage();
                r.errors().put(endpoint, "not requested: out of credits (" + e.getMessage() + ")");
                notRequested.incrementAndGet();
            } catch (ApiClient.CallFailed e) {
                r.errors().put(endpoint, "request failed: " + e.getMessage());
                progress.jobsTotal.incrementAndGet();
                progress.jobFinished(new Analyses.Job(null, "failed", null, e.getMessage()));
            }
        }
        // one state line per file, not per job: a run killed between two requests loses nothing, since the
        // Idempotency-Keys return the same jobs when the rerun asks again
        if (!entry.jobs().equals(state.find(entry.path(), entry.size(), entry.mtimeMillis()).map(IngestState.Entry::jobs)
                .orElse(Map.of()))) {
            state.record(entry);
        }
        return r;
    }

    private FileResult uploadOne(AudioFiles.Found f, Uploader uploader, IngestState state, Progress progress)
            throws InterruptedException {
        try {
            String sha256 = AnalysisRunner.sha256(f.path());
            Uploader.Uploaded up = uploader.upload(f.path(), f.relative(), f.contentType(), progress.bytesSent::addAndGet);
            if (!sha256.equalsIgnoreCase(up.sha256())) {
                throw new Uploader.UploadFailed("the server stored SHA-256 " + up.sha256() + ", the file has " + sha256
                        + " (changed while uploading?)");
            }
            state.record(new IngestState.Entry(f.path().toString(), f.size(), f.mtimeMillis(), sha256, up.assetId()));
            return new FileResult(f, up.created() ? Outcome.UPLOADED : Outcome.ALREADY_STORED, up.assetId(), sha256, up.status());
        } catch (Uploader.UploadFailed | IOException | RuntimeException e) {
            progress.failures.incrementAndGet();
            return new FileResult(f, Outcome.FAILED, null, null, e.getMessage());
        } finally {
            progress.filesDone.incrementAndGet();
        }
    }

    private void printSummary(List<FileResult> results, double seconds) {
        out.println();
        out.printf("%-30s %7s %12s%n", "", "files", "bytes");
        for (Outcome o : Outcome.values()) {
            long n = results.stream().filter(r -> r.outcome() == o).count();
            long bytes = results.stream().filter(r -> r.outcome() == o).mapToLong(r -> r.file().size()).sum();
            out.printf("%-30s %7d %12s%n", label(o), n, Progress.size(bytes));
        }
        long sent = results.stream().filter(r -> r.outcome() == Outcome.UPLOADED || r.outcome() == Outcome.ALREADY_STORED)
                .mapToLong(r -> r.file().size()).sum();
        out.printf(Locale.ROOT, "%-30s %7d %12s%n", "total", results.size(),
                Progress.size(results.stream().mapToLong(r -> r.file().size()).sum()));
        double uploading = (uploadsEndNanos - startNanos) / 1e9;
        if (waitForJobs) {
            out.printf(Locale.ROOT, "%.1f s in all; uploads %.1f s, %s/s%n", seconds, uploading,
                    Progress.size((long) (sent / Math.max(uploading, 1e-3))));
        } else {
            out.printf(Locale.ROOT, "%.1f s, %s/s uploaded%n", seconds, Progress.size((long) (sent / Math.max(seconds, 1e-3))));
        }
        if (!endpoints.isEmpty()) {
            printAnalyses(results);
        }
        AtomicInteger shown = new AtomicInteger();
        results.stream().filter(r -> r.outcome() == Outcome.FAILED || r.outcome() == Outcome.NOT_AUDIO)
                .forEach(r -> {
                    if (shown.getAndIncrement() == 0) {
                        out.println("Problems:");
                    }
                    out.printf("  %-10s %s: %s%n", r.outcome() == Outcome.FAILED ? "failed" : "not audio", r.file().relative(), r.detail());
                });
        for (FileResult r : results) {
            for (String endpoint : endpoints) { // in the order asked, whatever order the jobs ended in
                String error = r.errors().get(endpoint);
                if (error != null) {
                    if (shown.getAndIncrement() == 0) {
                        out.println("Problems:");
                    }
                    out.printf("  %-10s %s: %s: %s%n", "analysis", r.file().relative(), endpoint, error);
                }
            }
        }
        if (outOfCredits != null) {
            out.printf("Out of credits: %d analyses were not requested (%s). Add credits and run the same command again: "
                    + "what was requested is not requested twice.%n", notRequested.get(), outOfCredits);
        }
        out.flush();
    }

    /** Per model: jobs succeeded, failed (or cancelled, or refused), and still running when we stopped looking. */
    private void printAnalyses(List<FileResult> results) {
        out.println();
        out.printf("%-30s %9s %7s %9s%n", "analyses", "succeeded", "failed", "pending");
        for (String endpoint : endpoints) {
            int ok = 0;
            int failed = 0;
            int pending = 0;
            for (FileResult r : results) {
                Analyses.Job job = r.jobs().get(endpoint);
                if (r.errors().containsKey(endpoint)) {
                    failed++;
                } else if (job != null && "succeeded".equals(job.status())) {
                    ok++;
                } else if (job != null) {
                    pending++;
                }
            }
            out.printf("%-30s %9d %7d %9d%n", endpoint, ok, failed, pending);
        }
    }

    private static String label(Outcome o) {
        return switch (o) {
            case UPLOADED -> "uploaded (new)";
            case ALREADY_STORED -> "already stored (server dedup)";
            case RESUMED -> "skipped (done earlier)";
            case NOT_AUDIO -> "skipped (not audio)";
            case FAILED -> "failed";
        };
    }

    /** Per API, account (key prefix) and folder, under the XDG state home. */
    private Path defaultStateFile(Path root) throws Exception {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        String keyPrefix = key.strip().length() > 12 ? key.strip().substring(0, 12) : key.strip();
        byte[] id = MessageDigest.getInstance("SHA-256").digest((api + "\n" + keyPrefix + "\n" + root)
                .getBytes(StandardCharsets.UTF_8));
        return home.resolve("tonearm").resolve("ingest-" + HexFormat.of().formatHex(id, 0, 8) + ".jsonl");
    }
}
