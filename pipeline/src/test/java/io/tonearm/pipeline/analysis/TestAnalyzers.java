package io.tonearm.pipeline.analysis;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.registry.AnalyzerRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small analyzers that exist only in tests, so that the job's bookkeeping (which analyzer@version ran on which
 * recording) can be checked without depending on analyzers other branches are still writing. They compute real
 * values from the signal.
 */
public final class TestAnalyzers {

    private TestAnalyzers() {
    }

    /** The shipped analyzers (pitch...) plus test-rms v1 and v2, test-peak, test-broken and test-gated. */
    public static AnalyzerRegistry registry() {
        return StandardAnalyzers.registry()
                .register(new Rms(1))
                .register(new Rms(2))
                .register(new Peak())
                .register(new Broken())
                .register(new Gated());
    }

    record RmsResult(double rms, long frames) {
    }

    record PeakResult(double peak) {
    }

    /** Root mean square of the mono analysis signal; version 2 stands for "the method changed". */
    static final class Rms implements Analyzer<RmsResult> {
        private final int version;

        Rms(int version) {
            this.version = version;
        }

        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("test-rms", version, "RMS of the analysis signal (tests only)");
        }

        @Override
        public Run<RmsResult> start(Params params, RecordingContext recording) {
            double[] sum = new double[1];
            long[] n = new long[1];
            recording.onAnalysisSignal(new SampleListener() {
                @Override
                public void samples(float[] samples, int offset, int frames) {
                    for (int i = offset; i < offset + frames; i++) sum[0] += samples[i] * (double) samples[i];
                    n[0] += frames;
                }
            });
            return () -> new RmsResult(n[0] == 0 ? 0 : Math.sqrt(sum[0] / n[0]), n[0]);
        }
    }

    /** Absolute peak of the original channels. */
    static final class Peak implements Analyzer<PeakResult> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("test-peak", 1, "sample peak (tests only)");
        }

        @Override
        public Run<PeakResult> start(Params params, RecordingContext recording) {
            double[] peak = new double[1];
            recording.onOriginal((samples, offset, frames) -> {
                int channels = recording.info().channels();
                for (int i = offset; i < offset + frames * channels; i++) {
                    peak[0] = Math.max(peak[0], Math.abs(samples[i]));
                }
            });
            return () -> new PeakResult(peak[0]);
        }
    }

    /** Always fails when finishing: one analyzer's failure must not lose the others' results. */
    static final class Broken implements Analyzer<PeakResult> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("test-broken", 1, "always fails (tests only)");
        }

        @Override
        public Run<PeakResult> start(Params params, RecordingContext recording) {
            return () -> {
                throw new IllegalStateException("test-broken refuses every recording");
            };
        }
    }

    record GatedResult(long frames, OutputRef output) {
    }

    /**
     * A heavy analysis as long as a test wants: after the recording streamed through it waits until {@link #open}
     * (or the run's interruption), then stores a small output file (the frame count as text), as stems would.
     */
    public static final class Gated implements Analyzer<GatedResult> {
        public static final String NAME = "test-gated";
        /** Runs that reached the gate (including ones a cancellation interrupted there). */
        public static final AtomicInteger WAITING = new AtomicInteger();
        private static volatile CountDownLatch gate = new CountDownLatch(0);
        /** Waits at the gate through interrupts, as a native call (an ONNX session) does. */
        public static volatile boolean deafToInterrupts;

        public static void close() {
            WAITING.set(0);
            deafToInterrupts = false;
            gate = new CountDownLatch(1);
        }

        public static void open() {
            gate.countDown();
        }

        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of(NAME, 1, "waits for the test, then writes a file (tests only)");
        }

        @Override
        public Run<GatedResult> start(Params params, RecordingContext recording) {
            long[] frames = new long[1];
            recording.onAnalysisSignal((samples, offset, n) -> frames[0] += n);
            return () -> {
                WAITING.incrementAndGet();
                boolean interrupted = false;
                while (true) {
                    try {
                        gate.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        if (!deafToInterrupts) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted at the gate", e);
                        }
                    }
                }
                if (interrupted) Thread.currentThread().interrupt();
                try (OutputStore.Output out = recording.outputs().create("gated.txt", "text/plain")) {
                    out.stream().write(Long.toString(frames[0]).getBytes(StandardCharsets.UTF_8));
                    return new GatedResult(frames[0], out.finish());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }
}
