package io.tonearm.launcher.ingest;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tonearm ingest DIR --api URL --key KEY}: uploads every audio file under DIR, a few at a time, streamed
 * from disk. A local state file remembers what was uploaded (path + size + mtime → sha256, asset id), so a run
 * after an interruption uploads only the rest; the server's SHA-256 dedup answers a re-sent file without storing
 * it twice. Ends with a summary table; exit code 1 when any file failed.
 *
 * <p>It uploads only: the API does not offer analysis requests or results yet (issue 6), so there is no
 * {@code --models}, {@code --wait} or {@code --out}.
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

    /** What became of one file. */
    enum Outcome { UPLOADED, ALREADY_STORED, RESUMED, NOT_AUDIO, FAILED }

    record FileResult(AudioFiles.Found file, Outcome outcome, String assetId, String detail) {
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
        Path root = dir.toAbsolutePath().normalize();
        long t0 = System.nanoTime();
        List<AudioFiles.Found> found = AudioFiles.scan(root);
        Path statePath = stateFile != null ? stateFile : defaultStateFile(root);
        List<FileResult> results = new ArrayList<>();
        List<AudioFiles.Found> todo = new ArrayList<>();
        try (IngestState state = IngestState.open(statePath)) {
            for (AudioFiles.Found f : found) {
                if (!f.audio()) {
                    results.add(new FileResult(f, Outcome.NOT_AUDIO, null, "its first bytes are not a known audio format"));
                    continue;
                }
                var done = state.find(f.path().toString(), f.size(), f.mtimeMillis());
                if (done.isPresent()) {
                    results.add(new FileResult(f, Outcome.RESUMED, done.get().assetId(), null));
                } else {
                    todo.add(f);
                }
            }
            err.printf("tonearm ingest: %d files with audio extensions under %s, %d to upload (%d done in earlier runs); state %s%n",
                    found.size(), root, todo.size(), results.stream().filter(r -> r.outcome() == Outcome.RESUMED).count(),
                    statePath);
            results.addAll(upload(todo, state));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        printSummary(results, seconds);
        return results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED) ? 1 : 0;
    }

    private List<FileResult> upload(List<AudioFiles.Found> todo, IngestState state) throws InterruptedException {
        Uploader uploader = new Uploader(api, key.strip());
        long bytesTotal = todo.stream().mapToLong(AudioFiles.Found::size).sum();
        boolean tty = System.console() != null;
        List<FileResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try (Progress progress = new Progress(todo.size(), bytesTotal, err, tty, tty ? 250 : progressIntervalSeconds * 1000)) {
            List<Future<FileResult>> futures = new ArrayList<>();
            for (AudioFiles.Found f : todo) {
                futures.add(pool.submit(() -> uploadOne(f, uploader, state, progress)));
            }
            for (Future<FileResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
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
            return new FileResult(f, up.created() ? Outcome.UPLOADED : Outcome.ALREADY_STORED, up.assetId(), up.status());
        } catch (Uploader.UploadFailed | IOException | RuntimeException e) {
            progress.failures.incrementAndGet();
            return new FileResult(f, Outcome.FAILED, null, e.getMessage());
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
        out.printf(Locale.ROOT, "%.1f s, %s/s uploaded%n", seconds, Progress.size((long) (sent / Math.max(seconds, 1e-3))));
        AtomicInteger shown = new AtomicInteger();
        results.stream().filter(r -> r.outcome() == Outcome.FAILED || r.outcome() == Outcome.NOT_AUDIO)
                .forEach(r -> {
                    if (shown.getAndIncrement() == 0) {
                        out.println("Problems:");
                    }
                    out.printf("  %-10s %s: %s%n", r.outcome() == Outcome.FAILED ? "failed" : "not audio", r.file().relative(), r.detail());
                });
        out.flush();
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
