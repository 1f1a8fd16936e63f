package io.tonearm.pipeline.analysis.heavy;

import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.testing.WavFiles;
import io.tonearm.pipeline.analysis.RecordingAnalysis;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Heavy analyzers' budgets and outputs, without Flink: the real analyzers, decoder and blob store. */
class HeavyRunsTest {

    private static final AnalyzerRegistry REGISTRY = StandardAnalyzers.registry();

    @TempDir
    Path dir;

    @Test
    void aHeavyAnalyzerOverItsBudgetFailsAloneWithAClearReason() throws Exception {
        Path wav = sine(dir.resolve("a.wav"), 2.0);
        Selection lufs = REGISTRY.select("loudness-ebur128", Map.of());
        Selection stems = REGISTRY.select("separate-2stem", Map.of());
        // a budget no separation can meet: a microsecond per second of audio, no minimum
        TimeBudgets tight = TimeBudgets.of(Duration.ofSeconds(30)).withHeavy(1e-6, Duration.ZERO);
        RecordingAnalysis analysis = RecordingAnalysis.of(StandardAnalyzers::registry, tight, dir.resolve("blobs").toString());

        AnalysisReport report = analysis.analyze(wav, "a".repeat(64), List.of(lufs, stems));

        assertThat(report.error()).isNull();
        assertThat(report.results()).containsKey(lufs.key());
        assertThat(report.failures()).containsOnlyKeys(stems.key());
        assertThat(report.failures().get(stems.key()).code()).isEqualTo(HeavyRuns.BUDGET_EXCEEDED);
        assertThat(report.failures().get(stems.key()).message())
                .startsWith("separate-2stem exceeded its time budget of 0.0 s").contains("on 2.0 s of audio");
    }

    @Test
    void withinItsBudgetAHeavyAnalyzerStoresItsOutputsAndLightOnesShareOneDecode() throws Exception {
        Path wav = sine(dir.resolve("b.wav"), 1.0);
        Selection lufs = REGISTRY.select("loudness-ebur128", Map.of());
        Selection master = REGISTRY.select("master", Map.of());
        FileSystemBlobStore blobs = new FileSystemBlobStore(dir.resolve("blobs"));
        RecordingAnalysis analysis = RecordingAnalysis.of(StandardAnalyzers::registry, TimeBudgets.of(Duration.ofSeconds(30)),
                dir.resolve("blobs").toString());

        AnalysisReport report = analysis.analyze(wav, "b".repeat(64), List.of(master, lufs));

        assertThat(report.ok()).as(String.valueOf(report.failures())).isTrue();
        assertThat(report.durationSeconds()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.01));
        String json = io.tonearm.analysis.Json.mapper().writeValueAsString(report.results().get(master.key()));
        String sha = io.tonearm.analysis.Json.mapper().readTree(json).at("/results/output/sha256").asText();
        assertThat(blobs.exists(sha)).isTrue();
        assertThat(analysis.keepsOutputs("master")).isTrue();
        assertThat(analysis.keepsOutputs("loudness-ebur128")).isFalse();
        assertThat(analysis.outputsGone(json)).isFalse();
        blobs.delete(sha);
        assertThat(analysis.outputsGone(json)).as("reaped output").isTrue();
    }

    @Test
    void heavyBudgetsGrowWithTheAudioBetweenTheirBounds() {
        TimeBudgets b = TimeBudgets.of(Duration.ofMinutes(10));
        assertThat(b.heavy(5.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.heavy(100.0)).isEqualTo(Duration.ofSeconds(300));
        assertThat(b.heavy(3600.0)).isEqualTo(Duration.ofMinutes(12));
        assertThat(b.heavy(null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(io.tonearm.pipeline.analysis.coordinator.HeavyRunner.timeout(RecordingAnalysis.standard(b, null)))
                .as("the async operator's timeout leaves a run its whole budget").isGreaterThan(b.heavy(3600.0));
        assertThat(io.tonearm.pipeline.analysis.AnalysisJob.LIGHT_BUDGET)
                .as("a checkpoint waits for one light analysis at most").isLessThan(io.tonearm.pipeline.analysis.AnalysisJob.CHECKPOINT_TIMEOUT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.withHeavy(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStandardSetHasNoHeavyAnalyzerAndUndecodableInputFailsTheRecording() throws Exception {
        assertThat(StandardAnalyzers.STANDARD_SET).noneMatch(TimeBudgets.HEAVY::contains);
        Path junk = java.nio.file.Files.writeString(dir.resolve("junk.wav"), "not audio at all");
        RecordingAnalysis analysis = RecordingAnalysis.standard(TimeBudgets.of(Duration.ofSeconds(30)), dir.resolve("blobs").toString());
        AnalysisReport report = analysis.analyze(junk, "c".repeat(64), List.of(REGISTRY.select("separate-2stem", Map.of())));
        assertThat(report.error()).as("heavy-only request on a broken file fails the recording, as light ones do").isNotNull();
    }

    /** A 440 Hz sine, 22.05 kHz mono 16-bit. */
    private static Path sine(Path file, double seconds) throws Exception {
        int rate = 22050, n = (int) (seconds * rate);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / rate));
        return WavFiles.write(file, x, rate, 1, 16);
    }
}
