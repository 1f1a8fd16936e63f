package io.tonearm.pipeline.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.pipeline.analysis.heavy.HeavyRuns;
import io.tonearm.pipeline.analysis.heavy.TimeBudgets;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.BlobStores;
import org.apache.flink.util.function.SerializableSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
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

    /**
     * Decodes {@code file} once and runs every selection on it; never throws for a bad recording.
     *
     * @param probed what an earlier probe of these bytes read (the request carries the upload's), so they are not
     *               probed again; null: probe them
     */
    AnalysisReport analyze(Path file, String sha256, AudioInfo probed, List<Selection> selections);

    /** As {@link #analyze(Path, String, AudioInfo, List)}, probing the bytes first. */
    default AnalysisReport analyze(Path file, String sha256, List<Selection> selections) {
        return analyze(file, sha256, null, selections);
    }

    /**
     * The blob store that recordings are fetched from (when their location is not a local file) and heavy analyzers'
     * outputs go to; null when the job has none (then only {@code file:} locations can be analyzed).
     */
    default BlobStore blobs() {
        return null;
    }

    /**
     * True for heavy analyzers: their results reference output files (stems, mastered audio, MIDI) and they run
     * asynchronously, beside the coordinator, each on its own decode and budget.
     */
    default boolean keepsOutputs(String analyzer) {
        return false;
    }

    /** The longest a heavy analyzer may run (its budget's maximum): what the asynchronous operator waits at most. */
    default Duration longestHeavyRun() {
        return TimeBudgets.DEFAULT_HEAVY_MAXIMUM;
    }

    /**
     * True when a stored result ({@code envelopeJson}) references an output file the store no longer has (its
     * retention ended and the API's reaper deleted it): the result must be computed again to serve it.
     */
    default boolean outputsGone(String envelopeJson) {
        return false;
    }

    /** Tonearm's shipped analyzers and decoder, each recording's decode bounded by {@code budget}; no output files. */
    static RecordingAnalysis standard(Duration budget) {
        return of(StandardAnalyzers::registry, TimeBudgets.of(budget), null);
    }

    /**
     * Tonearm's shipped analyzers; recordings are read from, and heavy analyzers write their outputs into, the blob
     * store at {@code blobStore} (a directory or {@code s3://BUCKET/PREFIX}: sinks' {@link BlobStores}).
     */
    static RecordingAnalysis standard(TimeBudgets budgets, String blobStore) {
        return of(StandardAnalyzers::registry, budgets, blobStore);
    }

    /** A given set of analyzers (tests register their own) with the standard decoder. */
    static RecordingAnalysis of(SerializableSupplier<AnalyzerRegistry> registry, Duration budget) {
        return of(registry, TimeBudgets.of(budget), null);
    }

    /**
     * @param blobStore the blob store's location (checked now; opened in each task); null: outputs cannot be kept and
     *                  only {@code file:} locations are readable
     */
    static RecordingAnalysis of(SerializableSupplier<AnalyzerRegistry> registry, TimeBudgets budgets, String blobStore) {
        return new Runner(registry, budgets, blobStore == null ? null : BlobStores.validate(blobStore));
    }

    final class Runner implements RecordingAnalysis {
        private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
        private final SerializableSupplier<AnalyzerRegistry> registrySupplier;
        private final TimeBudgets budgets;
        private final String blobStore;
        private transient AnalyzerRegistry registry;
        private transient AnalysisRunner runner;
        private transient HeavyRuns heavy;
        private transient BlobStore blobs;

        Runner(SerializableSupplier<AnalyzerRegistry> registry, TimeBudgets budgets, String blobStore) {
            this.registrySupplier = Objects.requireNonNull(registry, "registry");
            this.budgets = Objects.requireNonNull(budgets, "budgets");
            this.blobStore = blobStore;
        }

        @Override
        public synchronized AnalyzerRegistry registry() {
            if (registry == null) registry = registrySupplier.get();
            return registry;
        }

        @Override
        public AnalysisReport analyze(Path file, String sha256, AudioInfo probed, List<Selection> selections) {
            List<Selection> light = selections.stream().filter(s -> !keepsOutputs(name(s))).toList();
            List<Selection> heavyOnes = selections.stream().filter(s -> keepsOutputs(name(s))).toList();
            AnalysisRunner r;
            HeavyRuns h;
            synchronized (this) {
                if (runner == null) {
                    runner = new AnalysisRunner(Decoders.standard(), budgets.perRecording());
                    heavy = new HeavyRuns(runner.decoder(), budgets, blobs());
                }
                r = runner;
                h = heavy;
            }
            AnalysisReport report = light.isEmpty() ? null : r.analyze(file, sha256, probed, light, AnalysisRunner.Listener.NONE);
            if (heavyOnes.isEmpty() || report != null && report.error() != null) return report;
            return h.analyze(file, sha256, heavyOnes, report);
        }

        @Override
        public boolean keepsOutputs(String analyzer) {
            return budgets.isHeavy(analyzer);
        }

        @Override
        public Duration longestHeavyRun() {
            return budgets.heavyMaximum();
        }

        @Override
        public boolean outputsGone(String envelopeJson) {
            BlobStore store = blobs();
            if (store == null || envelopeJson == null) return false;
            try {
                return anyMissing(Json.mapper().readTree(envelopeJson).path("results"), store);
            } catch (IOException e) {
                return false;
            } catch (UncheckedIOException e) {
                // the store cannot be asked now: keep the result rather than recompute it for an outage
                LOG.warn("cannot check the outputs of a stored result: {}", e.getCause().toString());
                return false;
            }
        }

        /** Output references are objects with a sha256 and a media type, wherever the result nests them. */
        private static boolean anyMissing(JsonNode node, BlobStore store) {
            if (node.isObject() && node.path("sha256").isTextual() && node.path("media_type").isTextual()) {
                String sha = node.path("sha256").asText();
                return sha.matches("[0-9a-f]{64}") && !store.exists(sha);
            }
            for (JsonNode child : node) {
                if (anyMissing(child, store)) return true;
            }
            return false;
        }

        @Override
        public synchronized BlobStore blobs() {
            if (blobs == null && blobStore != null) {
                try {
                    blobs = BlobStores.open(blobStore);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the blob store at " + blobStore, e);
                }
            }
            return blobs;
        }

        private static String name(Selection s) {
            return s.analyzer().spec().name();
        }
    }
}
