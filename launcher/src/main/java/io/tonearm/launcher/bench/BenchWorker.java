package io.tonearm.launcher.bench;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One measurement, run in its own JVM pinned to one core by {@link BenchCommand}: analyzes FILE with the given
 * models (or decodes only), once to warm up, then RUNS times; prints {@code seconds=<median wall> rss_mb=<peak>
 * own_seconds=<median time inside analyzers and shared features>}.
 * Peak RSS covers this JVM and its decoder child processes, sampled every 20 ms.
 */
public final class BenchWorker {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String models = args[1];
        int runs = Integer.parseInt(args[2]);
        AnalyzerRegistry registry = StandardAnalyzers.registry();
        List<Selection> selections = models.equals("-") ? List.of() : registry.parse(models);
        AnalysisRunner runner = new AnalysisRunner(Decoders.standard(), Duration.ofHours(1));
        RssSampler rss = new RssSampler();
        rss.start();
        check(runner.analyze(file, selections));
        double[] seconds = new double[runs];
        double[] own = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            AnalysisReport report = check(runner.analyze(file, selections));
            seconds[i] = (System.nanoTime() - t0) / 1e9;
            own[i] = analyzersNanos(report) / 1e9;
        }
        rss.stopSampling();
        Arrays.sort(seconds);
        Arrays.sort(own);
        System.out.printf(Locale.ROOT, "seconds=%.4f rss_mb=%.1f own_seconds=%.4f%n", seconds[runs / 2], rss.peakMb(), own[runs / 2]);
    }

    private static AnalysisReport check(AnalysisReport report) {
        if (!report.ok()) throw new IllegalStateException("analysis failed: " + report.error() + " " + report.failures());
        return report;
    }

    /** Time inside the analyzers and the features they share, as the runner measured it: everything but decoding. */
    private static long analyzersNanos(AnalysisReport report) {
        return report.timingsNanos().entrySet().stream().filter(e -> !e.getKey().equals("decode"))
                .mapToLong(java.util.Map.Entry::getValue).sum();
    }

    /** Samples the resident set of this process and its descendants (the decoder child). */
    static final class RssSampler extends Thread {
        private volatile boolean running = true;
        private volatile long peakKb;

        RssSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                long kb = rssKb(ProcessHandle.current().pid());
                List<ProcessHandle> kids = new ArrayList<>();
                ProcessHandle.current().descendants().forEach(kids::add);
                for (ProcessHandle p : kids) kb += rssKb(p.pid());
                peakKb = Math.max(peakKb, kb);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stopSampling() {
            running = false;
        }

        double peakMb() {
            return peakKb / 1024.0;
        }

        private static long rssKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            } catch (Exception ignored) {
                // the process ended between listing and reading
            }
            return 0;
        }
    }
}
