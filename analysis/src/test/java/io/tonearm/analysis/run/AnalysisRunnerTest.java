package io.tonearm.analysis.run;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.decode.PcmStream;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.signal.Tone;
import io.tonearm.analysis.testing.InMemoryDecoder;
import io.tonearm.analysis.testing.WavFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Decode once, fan out, isolate failures, carry nothing from one recording to the next. */
class AnalysisRunnerTest {

    /** The analysis signal's dominant frequency, level and length: enough to see what an analyzer was fed. */
    record Heard(double hz, double amplitude, long samples) {
    }

    static final class Listener implements Analyzer<Heard> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("listener", 1, "measures the analysis signal's tone");
        }

        @Override
        public Run<Heard> start(Params params, RecordingContext recording) {
            float[] kept = new float[16384];
            long[] count = {0};
            recording.onAnalysisSignal((samples, offset, frames) -> {
                for (int i = 0; i < frames; i++) {
                    long at = count[0]++;
                    if (at >= 8192 && at < 8192 + kept.length) kept[(int) (at - 8192)] = samples[offset + i];
                }
            });
            return () -> new Heard(Math.round(Tone.frequency(kept, 0, kept.length, RecordingContext.ANALYSIS_RATE) * 10) / 10.0,
                    Math.round(Tone.amplitude(kept, 0, kept.length) * 1000) / 1000.0, count[0]);
        }
    }

    /** Fails while samples stream, after a while. */
    static final class Failing implements Analyzer<Heard> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("failing", 1, "throws mid-stream");
        }

        @Override
        public Run<Heard> start(Params params, RecordingContext recording) {
            recording.onOriginal(new SampleListener() {
                long seen;

                @Override
                public void samples(float[] samples, int offset, int frames) {
                    seen += frames;
                    if (seen > 10_000) throw new IllegalStateException("boom after " + seen + " frames");
                }
            });
            return () -> null;
        }
    }

    /** Fails in finish(). */
    static final class FailingAtTheEnd implements Analyzer<Heard> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("failing_at_end", 1, "throws in finish");
        }

        @Override
        public Run<Heard> start(Params params, RecordingContext recording) {
            return () -> {
                throw new ArithmeticException("no result");
            };
        }
    }

    static Selection select(Analyzer<?> analyzer) {
        return new Selection(analyzer.spec().name(), analyzer, Params.defaults(analyzer.spec()));
    }

    static float[] stereoSine(double hz, int rate, double seconds) {
        int n = (int) (rate * seconds);
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) x[2 * i] = x[2 * i + 1] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    @TempDir
    Path dir;

    @Test
    void aFailingAnalyzerDoesNotLoseAnothersResult() {
        AnalysisRunner runner = new AnalysisRunner(new InMemoryDecoder(stereoSine(1000, 44100, 2), 44100, 2), Duration.ofMinutes(1));
        AnalysisReport report = runner.analyze(Path.of("x.wav"), "0".repeat(64),
                List.of(select(new Failing()), select(new Listener()), select(new FailingAtTheEnd())));
        assertThat(report.error()).isNull();
        assertThat(report.results()).containsOnlyKeys("listener");
        Heard heard = (Heard) report.results().get("listener").results();
        assertThat(heard.hz()).isCloseTo(1000, within(0.5));
        assertThat(heard.amplitude()).isCloseTo(0.5, within(0.005));
        assertThat(report.failures()).containsOnlyKeys("failing", "failing_at_end");
        assertThat(report.failures().get("failing").code()).isEqualTo("analyzer_failed");
        assertThat(report.failures().get("failing").message()).contains("boom after");
        assertThat(report.failures().get("failing_at_end").message()).contains("no result");
        assertThat(report.ok()).isFalse();
    }

    /** Notes in a shared log when its finish runs, so a test can see what the listener heard before. */
    static final class Noting implements Analyzer<Heard> {
        private final String name;
        private final List<String> log;

        Noting(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of(name, 1, "logs its finish");
        }

        @Override
        public Run<Heard> start(Params params, RecordingContext recording) {
            return () -> {
                log.add("finish " + name);
                return new Heard(0, 0, 0);
            };
        }
    }

    @Test
    void theListenerHearsEachOutcomeAsItIsKnownBeforeTheNextAnalyzerFinishes() {
        AnalysisRunner runner = new AnalysisRunner(new InMemoryDecoder(stereoSine(1000, 44100, 1), 44100, 2), Duration.ofMinutes(1));
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        AnalysisReport report = runner.analyze(Path.of("x.wav"), "0".repeat(64),
                List.of(select(new Noting("a", log)), select(new FailingAtTheEnd()), select(new Noting("b", log))),
                new AnalysisRunner.Listener() {
                    @Override
                    public void completed(Selection selection, io.tonearm.analysis.Envelope envelope) {
                        log.add("completed " + selection.key() + " " + envelope.modelName());
                    }

                    @Override
                    public void failed(Selection selection, AnalysisReport.ErrorInfo error) {
                        log.add("failed " + selection.key() + " " + error.code());
                    }
                });
        assertThat(log).containsExactly("finish a", "completed a a", "failed failing_at_end analyzer_failed",
                "finish b", "completed b b");
        assertThat(report.results()).containsOnlyKeys("a", "b");
        assertThat(report.failures()).containsOnlyKeys("failing_at_end");
    }

    @Test
    void runningABAGivesTheSameATwice() {
        AnalysisRunner runner = new AnalysisRunner(new InMemoryDecoder(stereoSine(1000, 44100, 2), 44100, 2), Duration.ofMinutes(1));
        Listener a = new Listener();
        Failing b = new Failing();
        AnalysisReport first = runner.analyze(Path.of("x.wav"), "0".repeat(64), List.of(select(a)));
        AnalysisReport between = runner.analyze(Path.of("x.wav"), "0".repeat(64), List.of(select(b), select(a)));
        AnalysisReport again = runner.analyze(Path.of("x.wav"), "0".repeat(64), List.of(select(a)));
        assertThat(again.results().get("listener")).isEqualTo(first.results().get("listener"));
        assertThat(between.results().get("listener")).isEqualTo(first.results().get("listener"));
        assertThat(((Heard) first.results().get("listener").results()).samples()).isEqualTo(44100);
    }

    @Test
    void aRealFileDecodesOnceThroughTheStandardDecoder() throws Exception {
        Path wav = WavFiles.write(dir.resolve("tone.wav"), stereoSine(1000, 48000, 2), 48000, 2, 16);
        AnalysisRunner runner = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(1));
        AnalysisReport report = runner.analyze(wav, List.of(select(new Listener())));
        assertThat(report.ok()).isTrue();
        assertThat(report.sha256()).hasSize(64);
        assertThat(report.decoder().name()).isEqualTo("ffmpeg");
        assertThat(report.durationSeconds()).isEqualTo(2.0);
        assertThat(report.info().sampleRate()).isEqualTo(48000);
        Heard heard = (Heard) report.results().get("listener").results();
        assertThat(heard.hz()).isCloseTo(1000, within(0.5));
        assertThat(heard.samples()).isEqualTo(44100);
        assertThat(report.results().get("listener").provenance().decoder().name()).isEqualTo("ffmpeg");
    }

    @Test
    void aCarriedProbeIsDecodedWithoutProbingAgainAndGivesTheSameResults() throws Exception {
        Path wav = WavFiles.write(dir.resolve("tone.wav"), stereoSine(1000, 48000, 2), 48000, 2, 16);
        Decoder standard = Decoders.standard();
        AtomicInteger probes = new AtomicInteger();
        Decoder counting = new Decoder() {
            @Override
            public DecoderInfo describe() {
                return standard.describe();
            }

            @Override
            public AudioInfo probe(Path file) throws DecodeException {
                probes.incrementAndGet();
                return standard.probe(file);
            }

            @Override
            public PcmStream open(Path file, AudioInfo info, Duration budget) throws DecodeException {
                return standard.open(file, info, budget);
            }
        };
        AnalysisRunner runner = new AnalysisRunner(counting, Duration.ofMinutes(1));
        AnalysisReport probing = runner.analyze(wav, List.of(select(new Listener())));
        assertThat(probes).hasValue(1);

        AnalysisReport carried = runner.analyze(wav, probing.sha256(), probing.info(), List.of(select(new Listener())),
                AnalysisRunner.Listener.NONE);
        assertThat(probes).as("no second probe").hasValue(1);
        assertThat(carried.ok()).isTrue();
        assertThat(carried.info()).isEqualTo(probing.info());
        assertThat(carried.results().get("listener").results()).isEqualTo(probing.results().get("listener").results());
        assertThat(carried.durationSeconds()).isEqualTo(probing.durationSeconds());

        // a carried probe is held to the limits a fresh one is: a forged 0-channel header decodes nothing
        AudioInfo forged = new AudioInfo("wav", "pcm_s16le", 48000, 0, null, 2.0, null);
        AnalysisReport refused = runner.analyze(wav, probing.sha256(), forged, List.of(select(new Listener())),
                AnalysisRunner.Listener.NONE);
        assertThat(refused.error()).isNotNull();
        assertThat(refused.error().code()).isEqualTo("unsupported");
        assertThat(probes).hasValue(1);
    }

    @Test
    void aDecodeErrorYieldsTheReportsErrorWithItsCode() throws IOException {
        AnalysisRunner runner = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(1));
        byte[] noise = new byte[50_000];
        new Random(7).nextBytes(noise);
        Map<Path, String> expected = Map.of(
                Files.createFile(dir.resolve("empty.mp3")), "empty_file",
                Files.write(dir.resolve("noise.bin"), noise), "not_media",
                dir.resolve("missing.flac"), "io");
        for (Map.Entry<Path, String> e : expected.entrySet()) {
            AnalysisReport report = runner.analyze(e.getKey(), List.of(select(new Listener())));
            assertThat(report.error()).as(e.getKey().toString()).isNotNull();
            assertThat(report.error().code()).isEqualTo(e.getValue());
            assertThat(report.error().message()).isNotBlank();
            assertThat(report.results()).isEmpty();
        }
    }

    @Test
    void aTruncatedFileIsAnErrorNotAShortResult() throws Exception {
        AnalysisReport report = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(1))
                .analyze(truncatedWav(dir), List.of(select(new Listener())));
        assertThat(report.error()).isNotNull();
        assertThat(report.error().code()).isEqualTo("truncated");
    }

    /** A 4-second stereo WAV whose header promises twice the data it holds: the decoder fails midway. */
    static Path truncatedWav(Path dir) throws IOException {
        Path wav = WavFiles.write(dir.resolve("long.wav"), stereoSine(440, 44100, 4), 44100, 2, 16);
        byte[] all = Files.readAllBytes(wav);
        return Files.write(dir.resolve("cut.wav"), Arrays.copyOf(all, all.length / 2));
    }
}
