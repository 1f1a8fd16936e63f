package io.tonearm.analysis.run;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.fingerprint.FingerprintAnalyzer;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.rhythm.BpmAnalyzer;
import io.tonearm.analysis.run.AnalysisRunnerTest.Failing;
import io.tonearm.analysis.run.AnalysisRunnerTest.Heard;
import io.tonearm.analysis.run.AnalysisRunnerTest.Listener;
import io.tonearm.analysis.testing.InMemoryDecoder;
import io.tonearm.analysis.testing.WavFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.tonearm.analysis.run.AnalysisRunnerTest.select;
import static io.tonearm.analysis.run.AnalysisRunnerTest.stereoSine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Analyzers that run beside the others get the same signal on a thread of their own, and fail alone. */
class SideLaneTest {

    @TempDir
    Path dir;

    /** An analyzer that runs beside the others, noting the threads its samples arrive on. */
    static final class Beside<R> implements Analyzer<R> {
        final Analyzer<R> inner;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Beside(Analyzer<R> inner) {
            this.inner = inner;
        }

        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("beside_" + inner.spec().name(), 1, "runs beside the others");
        }

        @Override
        public boolean runsBesideOthers() {
            return true;
        }

        @Override
        public Run<R> start(Params params, RecordingContext recording) {
            recording.onAnalysisSignal((samples, offset, frames) -> threads.add(Thread.currentThread().getName()));
            return inner.start(params, recording);
        }
    }

    private static AnalysisRunner runner(double seconds) {
        return new AnalysisRunner(new InMemoryDecoder(stereoSine(1000, 44100, seconds), 44100, 2), Duration.ofMinutes(1));
    }

    @Test
    void itHearsWhatTheMainLaneHearsOnAnotherThread() {
        Beside<Heard> beside = new Beside<>(new Listener());
        AnalysisReport report = runner(2).analyze(Path.of("x.wav"), "0".repeat(64), List.of(select(new Listener()), select(beside)));
        assertThat(report.ok()).isTrue();
        Heard main = (Heard) report.results().get("listener").results();
        Heard side = (Heard) report.results().get("beside_listener").results();
        assertThat(side).isEqualTo(main);
        assertThat(side.hz()).isCloseTo(1000, within(0.5));
        assertThat(side.samples()).isEqualTo(44100);
        assertThat(beside.threads).hasSize(1).allMatch(t -> t.startsWith("tonearm-side-lane-"));
        assertThat(report.timingsNanos()).containsKeys("beside_listener", "handoff");
    }

    @Test
    void aloneItRunsOnTheCallersThread() {
        Beside<Heard> beside = new Beside<>(new Listener());
        AnalysisReport report = runner(1).analyze(Path.of("x.wav"), "0".repeat(64), List.of(select(beside)));
        assertThat(report.ok()).isTrue();
        assertThat(beside.threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void theFingerprintBesideTheStandardSetIsTheFingerprintAlone() throws Exception {
        float[] stereo = new float[2 * 44100 * 20];
        Random rng = new Random(5);
        for (int i = 0; i < stereo.length / 2; i++) { // a melody of random tones, so there are peaks to pair
            double hz = 220 * Math.pow(2, (i / 11025 * 7 % 24) / 12.0);
            stereo[2 * i] = stereo[2 * i + 1] = (float) (0.4 * Math.sin(2 * Math.PI * hz * i / 44100) + 0.01 * rng.nextGaussian());
        }
        Path wav = WavFiles.write(dir.resolve("melody.wav"), stereo, 44100, 2, 16);
        AnalysisRunner runner = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(1));
        // version 1 runs on the lane; version 2 shares the tempo analyzers' spectrum on the caller's thread
        for (LandmarkFormat format : LandmarkFormat.values()) {
            FingerprintAnalyzer fingerprint = new FingerprintAnalyzer(format);
            assertThat(fingerprint.runsBesideOthers()).isEqualTo(format == LandmarkFormat.V1);
            AnalysisReport alone = runner.analyze(wav, List.of(select(fingerprint)));
            AnalysisReport beside = runner.analyze(wav, List.of(select(new Listener()), select(new BpmAnalyzer()), select(fingerprint)));
            assertThat(beside.ok()).isTrue();
            FingerprintAnalyzer.Result a = (FingerprintAnalyzer.Result) alone.results().get("fingerprint").results();
            FingerprintAnalyzer.Result b = (FingerprintAnalyzer.Result) beside.results().get("fingerprint").results();
            assertThat(a.hashCount()).isGreaterThan(100);
            assertThat(b).as(format.id()).isEqualTo(a);
            assertThat(beside.results().get("fingerprint").provenance()).isEqualTo(alone.results().get("fingerprint").provenance());
        }
    }

    @Test
    void aFailureBesideFailsOnlyThatAnalyzer() {
        Beside<Heard> failing = new Beside<>(new Failing()); // reads the original signal: the lane carries both
        Beside<Heard> fine = new Beside<>(new Listener());
        AnalysisReport report = runner(2).analyze(Path.of("x.wav"), "0".repeat(64),
                List.of(select(new Listener()), select(failing), select(fine), select(new Failing())));
        assertThat(report.results()).containsOnlyKeys("listener", "beside_listener");
        assertThat(report.failures()).containsOnlyKeys("beside_failing", "failing");
        assertThat(report.failures().get("beside_failing").message()).contains("boom after");
        assertThat(failing.threads).allMatch(t -> t.startsWith("tonearm-side-lane-"));
        assertThat(((Heard) report.results().get("beside_listener").results()).samples()).isEqualTo(44100);
    }

    @Test
    void anInterruptedHandOffFailsTheLanesAnalyzersRatherThanGivingPartResults() {
        Analyzer<Heard> interrupting = new Analyzer<>() { // what a task cancellation does to the analyzing thread
            @Override
            public AnalyzerSpec spec() {
                return AnalyzerSpec.of("interrupting", 1, "interrupts its thread midway");
            }

            @Override
            public Run<Heard> start(Params params, RecordingContext recording) {
                long[] seen = {0};
                recording.onAnalysisSignal((samples, offset, frames) -> {
                    if ((seen[0] += frames) > 10_000 && seen[0] - frames <= 10_000) Thread.currentThread().interrupt();
                });
                return () -> new Heard(0, 0, seen[0]);
            }
        };
        AnalysisReport report;
        try {
            report = runner(2).analyze(Path.of("x.wav"), "0".repeat(64), List.of(select(interrupting), select(new Beside<>(new Listener()))));
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller to see").isTrue();
        }
        assertThat(report.results()).containsOnlyKeys("interrupting");
        assertThat(report.failures()).containsOnlyKeys("beside_listener");
        assertThat(report.failures().get("beside_listener").message()).contains("interrupted");
    }

    @Test
    void aDecodeErrorMidwayStopsTheLane() throws Exception {
        AnalysisReport report = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(1))
                .analyze(AnalysisRunnerTest.truncatedWav(dir), List.of(select(new Listener()), select(new Beside<>(new Listener()))));
        assertThat(report.error()).isNotNull();
        assertThat(report.error().code()).isEqualTo("truncated");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("tonearm-side-lane-") && t.isAlive());
    }
}
