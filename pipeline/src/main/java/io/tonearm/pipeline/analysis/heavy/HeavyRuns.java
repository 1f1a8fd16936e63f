package io.tonearm.pipeline.analysis.heavy;

import io.tonearm.sinks.blobs.BlobOutputStore;
import io.tonearm.analysis.Envelope;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisReport.ErrorInfo;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.sinks.blobs.BlobStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs heavy analyzers, one at a time, each on its own decode with its own time budget
 * ({@link TimeBudgets#heavy}) and its outputs in the blob store ({@link BlobOutputStore}), and merges what they
 * produced into the light analyzers' report. An extra decode costs little next to separation or transcription and
 * gives each heavy analyzer a budget of its own: the decoder stops a run whose streaming part overruns (the
 * transcription network runs while the audio streams), the output store stops one whose writing overruns
 * (separation and mastering write after the stream), and a run that finished late is failed all the same.
 */
public final class HeavyRuns {

    public static final String BUDGET_EXCEEDED = "budget_exceeded";

    private final Decoder decoder;
    private final TimeBudgets budgets;
    private final BlobStore store;

    /** @param store where outputs go; null: heavy analyzers run without an output store (those that need one fail) */
    public HeavyRuns(Decoder decoder, TimeBudgets budgets, BlobStore store) {
        this.decoder = decoder;
        this.budgets = budgets;
        this.store = store;
    }

    /**
     * @param light the light analyzers' report on the same file, or null when none were requested
     * @return the merged report; a decode failure of the first run (no light report) is the recording's failure
     */
    public AnalysisReport analyze(Path file, String sha256, List<Selection> heavy, AnalysisReport light) {
        Map<String, Envelope> results = new LinkedHashMap<>(light == null ? Map.of() : light.results());
        Map<String, ErrorInfo> failures = new LinkedHashMap<>(light == null ? Map.of() : light.failures());
        Map<String, Long> timings = new LinkedHashMap<>(light == null ? Map.of() : light.timingsNanos());
        AnalysisReport shape = light;
        Double duration = light != null ? light.durationSeconds() : declaredDuration(file);
        for (Selection s : heavy) {
            Duration budget = budgets.heavy(duration);
            long start = System.nanoTime();
            OutputStore outputs = store == null ? OutputStore.NONE : new BlobOutputStore(store, start + budget.toNanos());
            AnalysisReport r = new AnalysisRunner(decoder, budget, outputs).analyze(file, sha256, List.of(s));
            boolean late = System.nanoTime() - start > budget.toNanos();
            if (r.error() != null && !late && !"timeout".equals(r.error().code())) {
                if (shape == null) return r; // the recording itself cannot be decoded
                failures.put(s.key(), r.error());
                continue;
            }
            if (r.error() != null || late || overran(r, s)) {
                failures.put(s.key(), new ErrorInfo(BUDGET_EXCEEDED, overrun(s, budget, duration)));
            } else {
                results.putAll(r.results());
                failures.putAll(r.failures());
            }
            r.timingsNanos().forEach((k, v) -> timings.merge(k, v, Long::sum));
            if (shape == null || shape.durationSeconds() == null) shape = r;
            if (duration == null) duration = r.durationSeconds();
        }
        return new AnalysisReport(shape.file(), sha256, shape.info(), shape.decoder(), shape.durationSeconds(),
                results, failures, null, timings);
    }

    private static boolean overran(AnalysisReport r, Selection s) {
        ErrorInfo f = r.failures().get(s.key());
        return f != null && f.message() != null && f.message().contains("time budget exceeded");
    }

    private String overrun(Selection s, Duration budget, Double audioSeconds) {
        return String.format(Locale.ROOT, "%s exceeded its time budget of %.1f s (%s s per second of audio%s, "
                        + "%d s to %d s) and was stopped", s.analyzer().spec().name(), budget.toMillis() / 1000.0,
                budgets.heavyPerAudioSecond(),
                audioSeconds == null ? "" : String.format(Locale.ROOT, " on %.1f s of audio", audioSeconds),
                budgets.heavyMinimum().toSeconds(), budgets.heavyMaximum().toSeconds());
    }

    private Double declaredDuration(Path file) {
        try {
            return decoder.probe(file).durationSeconds();
        } catch (DecodeException e) {
            return null; // the run itself reports why
        }
    }
}
