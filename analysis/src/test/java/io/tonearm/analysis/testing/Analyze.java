package io.tonearm.analysis.testing;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs analyzers on synthesized PCM through the real {@link AnalysisRunner}. */
public final class Analyze {

    private Analyze() {
    }

    /** One analyzer with the given raw parameters; returns its typed result or fails the test with the analyzer's error. */
    public static <R> R run(Analyzer<R> analyzer, Map<String, ?> params, float[] interleaved, int sampleRate, int channels) {
        return run(analyzer, params, interleaved, sampleRate, channels, null);
    }

    /** As {@link #run(Analyzer, Map, float[], int, int)}, with the channel layout a probe would report (e.g. {@code 5.1}). */
    @SuppressWarnings("unchecked")
    public static <R> R run(Analyzer<R> analyzer, Map<String, ?> params, float[] interleaved, int sampleRate, int channels,
                            String channelLayout) {
        AnalysisReport report = report(List.of(new Selection(analyzer.spec().name(), analyzer, Params.of(analyzer.spec(), params))),
                new InMemoryDecoder(interleaved, sampleRate, channels, channelLayout));
        if (report.error() != null) throw new AssertionError("decode failed: " + report.error());
        if (!report.failures().isEmpty()) throw new AssertionError("analyzer failed: " + report.failures());
        return (R) report.results().get(analyzer.spec().name()).results();
    }

    public static <R> R run(Analyzer<R> analyzer, float[] interleaved, int sampleRate, int channels) {
        return run(analyzer, Map.of(), interleaved, sampleRate, channels);
    }

    /** Several selections over one decode, as production runs them. */
    public static AnalysisReport report(List<Selection> selections, float[] interleaved, int sampleRate, int channels) {
        return report(selections, new InMemoryDecoder(interleaved, sampleRate, channels));
    }

    /** As {@link #report(List, float[], int, int)}, for analyzers that write files: they go to {@code outputs}. */
    public static AnalysisReport report(List<Selection> selections, float[] interleaved, int sampleRate, int channels,
                                        OutputStore outputs) {
        return report(selections, new InMemoryDecoder(interleaved, sampleRate, channels), outputs);
    }

    /** As {@link #run(Analyzer, Map, float[], int, int)}, for analyzers that write files: they go to {@code outputs}. */
    @SuppressWarnings("unchecked")
    public static <R> R runWithOutputs(Analyzer<R> analyzer, Map<String, ?> params, float[] interleaved, int sampleRate,
                                       int channels, OutputStore outputs) {
        AnalysisReport report = report(List.of(new Selection(analyzer.spec().name(), analyzer, Params.of(analyzer.spec(), params))),
                new InMemoryDecoder(interleaved, sampleRate, channels), outputs);
        if (report.error() != null) throw new AssertionError("decode failed: " + report.error());
        if (!report.failures().isEmpty()) throw new AssertionError("analyzer failed: " + report.failures());
        return (R) report.results().get(analyzer.spec().name()).results();
    }

    private static AnalysisReport report(List<Selection> selections, InMemoryDecoder decoder) {
        return report(selections, decoder, OutputStore.NONE);
    }

    private static AnalysisReport report(List<Selection> selections, InMemoryDecoder decoder, OutputStore outputs) {
        AnalysisRunner runner = new AnalysisRunner(decoder, Duration.ofMinutes(5), outputs);
        return runner.analyze(Path.of("synthetic.wav"), "0".repeat(64), selections);
    }
}
