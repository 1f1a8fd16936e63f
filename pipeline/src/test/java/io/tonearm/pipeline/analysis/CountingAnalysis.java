package io.tonearm.pipeline.analysis;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@link RecordingAnalysis} over {@link TestAnalyzers#registry()}, counting every analysis in static
 * collections the test reads (the MiniCluster runs in the test's JVM, and heavy analyses run on other threads),
 * and optionally failing the task once.
 */
final class CountingAnalysis implements RecordingAnalysis {

    /** One analysis run: when it ended and which result keys it computed. */
    record Run(String sha256, List<String> resultKeys, long endedAtMillis) {
    }

    static final List<Run> RUNS = new CopyOnWriteArrayList<>();
    /** After this many analyses (≥ 0), the next one throws an Error once: the task fails and restarts. */
    static final AtomicInteger FAIL_AFTER = new AtomicInteger(-1);
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static volatile long failedAtMillis;

    private final RecordingAnalysis delegate;

    /** The test analyzers, all light. */
    CountingAnalysis() {
        this(RecordingAnalysis.of(TestAnalyzers::registry, Duration.ofSeconds(60)));
    }

    /** Counting the analyses of {@code delegate} (e.g. with heavy analyzers and a blob store). */
    CountingAnalysis(RecordingAnalysis delegate) {
        this.delegate = delegate;
    }

    static void reset() {
        RUNS.clear();
        FAIL_AFTER.set(-1);
        FAILED.set(false);
        failedAtMillis = 0;
    }

    static Map<String, Integer> runsBySha256() {
        Map<String, Integer> m = new ConcurrentHashMap<>();
        for (Run r : RUNS) m.merge(r.sha256(), 1, Integer::sum);
        return m;
    }

    static long runsOf(String sha256, String resultKeyPrefix) {
        return RUNS.stream().filter(r -> r.sha256().equals(sha256))
                .flatMap(r -> r.resultKeys().stream()).filter(k -> k.startsWith(resultKeyPrefix)).count();
    }

    @Override
    public io.tonearm.analysis.registry.AnalyzerRegistry registry() {
        return delegate.registry();
    }

    @Override
    public boolean keepsOutputs(String analyzer) {
        return delegate.keepsOutputs(analyzer);
    }

    @Override
    public boolean outputsGone(String envelopeJson) {
        return delegate.outputsGone(envelopeJson);
    }

    @Override
    public Duration longestHeavyRun() {
        return delegate.longestHeavyRun();
    }

    @Override
    public AnalysisReport analyze(Path file, String sha256, AudioInfo probed, List<Selection> selections) {
        int limit = FAIL_AFTER.get();
        if (limit >= 0 && RUNS.size() >= limit && FAILED.compareAndSet(false, true)) {
            failedAtMillis = System.currentTimeMillis();
            throw new InjectedTaskFailure("injected task failure after " + RUNS.size() + " analyses");
        }
        AnalysisReport report = delegate.analyze(file, sha256, probed, selections);
        RUNS.add(new Run(sha256, selections.stream().map(Selection::key).toList(), System.currentTimeMillis()));
        return report;
    }

    /** An Error, so the coordinator's per-record catch lets it fail the task (as a crash would). */
    static final class InjectedTaskFailure extends Error {
        InjectedTaskFailure(String message) {
            super(message);
        }
    }
}
