package io.tonearm.analysis.mastering;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.loudness.EbuR128Analyzer;
import io.tonearm.analysis.loudness.LoudnessResult;
import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.output.OutputStore;
import io.tonearm.analysis.output.WavWriter;
import io.tonearm.analysis.signal.PcmSpool;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Loudness mastering in two passes: while the original streams, it is measured (EBU R128, the loudness
 * analyzer's own meter) and spooled to a temporary file; then it is read back, brought to the target integrated
 * loudness by a static gain and held under the true-peak ceiling by a {@link LookaheadLimiter}, and the output is
 * measured again. Limiting lowers the integrated loudness a little, so when the result misses the target by more
 * than {@value #TOLERANCE_LU} LU the gain is corrected ({@link GainSearch}) and the second pass repeated (at most
 * {@value #MAX_PASSES} passes in all); a target the ceiling makes unreachable is reported in {@code note}.
 *
 * <p>TODO: tonal balance toward a reference track (a smoothed long-term spectrum difference applied as a gentle
 * EQ) is not implemented in version 1.
 */
public final class MasteringAnalyzer implements Analyzer<MasteringResult> {

    static final double TOLERANCE_LU = 0.2;
    static final int MAX_PASSES = 6;

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("master", 1,
                    "Loudness mastering: static gain to a target integrated loudness (EBU R128) and a look-ahead "
                            + "true-peak limiter; outputs WAV audio at the input's rate and channels with before/after loudness")
            .withParams(
                    ParamSpec.number("target_lufs", -14.0, -40, -5, "target integrated loudness (LUFS)"),
                    ParamSpec.number("ceiling_dbtp", -1.0, -12, 0, "true-peak ceiling of the output (dBTP)"));

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<MasteringResult> start(Params params, RecordingContext recording) {
        double target = params.number("target_lufs");
        double ceiling = params.number("ceiling_dbtp");
        AudioInfo info = recording.info();
        EbuR128Analyzer.Meter meter = EbuR128Analyzer.Meter.forRecording(info, true);
        PcmSpool spool = new PcmSpool(info.channels());
        recording.onOriginal(meter);
        recording.onOriginal(spool);
        return () -> {
            try (spool) {
                return master(meter.result(), spool, info, recording.outputs(), target, ceiling);
            } catch (IOException e) {
                throw new UncheckedIOException("mastering failed: " + e.getMessage(), e);
            }
        };
    }

    private static MasteringResult master(LoudnessResult before, PcmSpool spool, AudioInfo info, OutputStore store,
                                          double target, double ceiling) throws IOException {
        if (before.integratedLufs() == null) {
            Render r = render(spool, info, store, 0, ceiling);
            return new MasteringResult(r.finish(), before, r.after, 0, round(r.reductionDb), target, ceiling,
                    "no gated loudness (silence, or shorter than 400 ms): level left unchanged, only the ceiling applied");
        }
        GainSearch search = new GainSearch(target, target - before.integratedLufs());
        Render best = null;
        for (int pass = 1; pass <= MAX_PASSES; pass++) {
            double gain = search.next();
            Render r = render(spool, info, store, gain, ceiling);
            r.gainDb = gain;
            Double reached = r.after.integratedLufs();
            if (best == null || reached != null && Math.abs(reached - target) < Math.abs(best.after.integratedLufs() - target)) {
                if (best != null) best.discard();
                best = r;
            } else {
                r.discard();
            }
            if (reached == null || Math.abs(reached - target) <= TOLERANCE_LU) break;
            search.observe(gain, reached);
        }
        Render r = best;
        double gain = r.gainDb;
        Double reached = r.after.integratedLufs();
        String note = reached != null && Math.abs(reached - target) > 0.5
                ? String.format(java.util.Locale.ROOT, "target not reached within 0.5 LU: the true-peak ceiling limits loudness to %.1f LUFS", reached)
                : null;
        return new MasteringResult(r.finish(), before, r.after, round(gain), round(r.reductionDb), target, ceiling, note);
    }

    /** One second pass: gain, limiter, WAV output and the after-measurement. */
    private static Render render(PcmSpool spool, AudioInfo info, OutputStore store, double gainDb, double ceilingDbtp)
            throws IOException {
        int channels = info.channels();
        long total = spool.frames();
        OutputStore.Output output = store.create("master.wav", WavWriter.MEDIA_TYPE);
        try {
            WavWriter wav = new WavWriter(output.stream(), info.sampleRate(), channels, total);
            EbuR128Analyzer.Meter after = EbuR128Analyzer.Meter.forRecording(info, true);
            LookaheadLimiter limiter = new LookaheadLimiter(info.sampleRate(), channels, Math.pow(10, ceilingDbtp / 20));
            float gain = (float) Math.pow(10, gainDb / 20);
            SampleListener chain = new SampleListener() {
                private float[] scaled = new float[0];
                private float[] limited = new float[0];
                private long produced; // limiter output frames, including the leading latency
                private long written;

                @Override
                public void samples(float[] samples, int offset, int frames) {
                    if (scaled.length < frames * channels) {
                        scaled = new float[frames * channels];
                        limited = new float[frames * channels];
                    }
                    for (int i = 0; i < frames * channels; i++) scaled[i] = samples[offset + i] * gain;
                    push(frames);
                }

                private void push(int frames) {
                    limiter.process(scaled, 0, frames, limited);
                    int skip = (int) Math.max(0, Math.min(frames, limiter.latency() - produced));
                    produced += frames;
                    int n = (int) Math.min(frames - skip, total - written);
                    if (n <= 0) return;
                    try {
                        wav.write(limited, skip * channels, n);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    after.samples(limited, skip * channels, n);
                    written += n;
                }

                @Override
                public void end() {
                    int tail = limiter.latency();
                    if (scaled.length < tail * channels) {
                        scaled = new float[tail * channels];
                        limited = new float[tail * channels];
                    }
                    java.util.Arrays.fill(scaled, 0, tail * channels, 0f);
                    if (tail > 0) push(tail);
                    after.end();
                }
            };
            try {
                spool.replay(chain);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            wav.finish();
            return new Render(output, after.result(), limiter.maxReductionDb());
        } catch (IOException | RuntimeException e) {
            output.close();
            throw e;
        }
    }

    private static final class Render {
        final OutputStore.Output pending;
        final LoudnessResult after;
        final double reductionDb;
        double gainDb;
        OutputRef output;

        Render(OutputStore.Output pending, LoudnessResult after, double reductionDb) {
            this.pending = pending;
            this.after = after;
            this.reductionDb = reductionDb;
        }

        OutputRef finish() throws IOException {
            if (output == null) output = pending.finish();
            return output;
        }

        void discard() throws IOException {
            pending.close();
        }
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
