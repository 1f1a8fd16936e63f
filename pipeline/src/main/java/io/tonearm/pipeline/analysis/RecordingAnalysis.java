package io.tonearm.pipeline.analysis;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import org.apache.flink.util.function.SerializableSupplier;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the job analyzes a recording: which analyzers exist and one decode fanned out to the selected ones. It is
 * shipped to the task managers, so it holds only serializable configuration and builds the registry and runner
 * on first use in each task.
 */
public interface RecordingAnalysis extends Serializable {

    /** The analyzers requests may name. */
    AnalyzerRegistry registry();

    /** Decodes {@code file} once and runs every selection on it; never throws for a bad recording. */
    AnalysisReport analyze(Path file, String sha256, List<Selection> selections);

    /** Tonearm's shipped analyzers and decoder, each recording's decode bounded by {@code budget}. */
    static RecordingAnalysis standard(Duration budget) {
        return of(StandardAnalyzers::registry, budget);
    }

    /** A given set of analyzers (tests register their own) with the standard decoder. */
    static RecordingAnalysis of(SerializableSupplier<AnalyzerRegistry> registry, Duration budget) {
        return new Runner(registry, budget);
    }

    final class Runner implements RecordingAnalysis {
        private final SerializableSupplier<AnalyzerRegistry> registrySupplier;
        private final Duration budget;
        private transient AnalyzerRegistry registry;
        private transient AnalysisRunner runner;

        Runner(SerializableSupplier<AnalyzerRegistry> registry, Duration budget) {
            this.registrySupplier = Objects.requireNonNull(registry, "registry");
            this.budget = Objects.requireNonNull(budget, "budget");
        }

        @Override
        public synchronized AnalyzerRegistry registry() {
            if (registry == null) registry = registrySupplier.get();
            return registry;
        }

        @Override
        public AnalysisReport analyze(Path file, String sha256, List<Selection> selections) {
            AnalysisRunner r;
            synchronized (this) {
                if (runner == null) runner = new AnalysisRunner(Decoders.standard(), budget);
                r = runner;
            }
            return r.analyze(file, sha256, selections);
        }
    }
}
