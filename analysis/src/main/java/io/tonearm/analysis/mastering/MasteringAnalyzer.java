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
import io.tonearm.analysis.registry.ReferenceResolver;
import io.tonearm.analysis.signal.PcmSpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loudness mastering in two passes: while the original streams, it is measured (EBU R128, the loudness
 * analyzer's own meter) and spooled to a temporary file; then it is read back, brought to the target integrated
 * loudness by a static gain and held under the true-peak ceiling by a {@link LookaheadLimiter}, and the output is
 * measured again. Limiting lowers the integrated loudness a little, so when the result misses the target by more
 * than {@value #TOLERANCE_LU} LU the gain is corrected ({@link GainSearch}) and the second pass repeated (at most
 * {@value #MAX_PASSES} passes in all); a target the ceiling makes unreachable is reported in {@code note}.
 *
 * <p>Optional tonal balance toward a reference recording ({@code reference_path}, a local file; the pipeline fills it
 * in from {@code reference_sha256}): the long-term third-octave spectra of input and reference give a smoothed,
 * clamped, level-matched gain curve ({@link TonalBalance}) scaled by {@code tonal_balance}, applied as a
 * linear-phase EQ ({@link LinearPhaseEq}) before the gain and the limiter, so the loudness target and the ceiling
 * hold for the equalized signal. Without a reference nothing of this runs and results are those of version 1.
 */
public final class MasteringAnalyzer implements Analyzer<MasteringResult> {

    static final double TOLERANCE_LU = 0.2;
    static final int MAX_PASSES = 6;
    private static final String REFERENCE_SHA256 = ReferenceResolver.SHA256;
    private static final String REFERENCE_PATH = ReferenceResolver.PATH;
    static final String TONAL_BALANCE = "tonal_balance";

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("master", 1,
                    "Loudness mastering: static gain to a target integrated loudness (EBU R128) and a look-ahead "
                            + "true-peak limiter; outputs WAV audio at the input's rate and channels with before/after loudness")
            .withParams(
                    ParamSpec.number("target_lufs", -14.0, -40, -5, "target integrated loudness (LUFS)"),
                    ParamSpec.number("ceiling_dbtp", -1.0, -12, 0, "true-peak ceiling of the output (dBTP)"),
                    ParamSpec.text(REFERENCE_SHA256, "tonal balance toward this catalog recording (its sha256); "
                            + "the pipeline resolves it to reference_path"),
                    ParamSpec.localPath(REFERENCE_PATH, "tonal balance toward the recording at this local path"),
                    ParamSpec.number(TONAL_BALANCE, null, 0, 1,
                            "strength of the tonal balance toward the reference, 0 to 1 (default 1 with a reference)"));

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public boolean writesOutputFiles() {
        return true;
    }

    @Override
    public Run<MasteringResult> start(Params params, RecordingContext recording) {
        double target = params.number("target_lufs");
        double ceiling = params.number("ceiling_dbtp");
        AudioInfo info = recording.info();
        LongTermSpectrum reference = reference(params);
        EbuR128Analyzer.Meter meter = EbuR128Analyzer.Meter.forRecording(info, true);
        PcmSpool spool = new PcmSpool(info.channels());
        recording.onOriginal(meter);
        recording.onOriginal(spool);
        if (reference == null) {
            return () -> {
                try (spool) {
                    return master(meter.result(), meter.result(), spool, info, recording.outputs(), target, ceiling, false).result();
                } catch (IOException e) {
                    throw new UncheckedIOException("mastering failed: " + e.getMessage(), e);
                }
            };
        }
        double strength = params.has(TONAL_BALANCE) ? params.number(TONAL_BALANCE) : 1.0;
        String name = params.has(REFERENCE_SHA256) ? params.string(REFERENCE_SHA256)
                : Path.of(params.string(REFERENCE_PATH)).getFileName().toString();
        LongTermSpectrum input = new LongTermSpectrum(info.sampleRate(), info.channels());
        recording.onOriginal(input);
        return () -> {
            try (spool; PcmSpool equalized = new PcmSpool(info.channels())) {
                TonalBalance balance = TonalBalance.between(input, reference, strength);
                PcmSpool source = spool;
                LoudnessResult level = meter.result();
                if (!balance.isFlat()) {
                    EbuR128Analyzer.Meter eqMeter = EbuR128Analyzer.Meter.forRecording(info, true);
                    spool.replay(new LinearPhaseEq(balance, info.sampleRate(), info.channels(), tee(equalized, eqMeter)));
                    source = equalized;
                    level = eqMeter.result();
                }
                Mastered m = master(meter.result(), level, source, info, recording.outputs(), target, ceiling, true);
                return m.result().withTonalBalance(report(name, balance, strength, input, m.spectrum(), reference));
            } catch (IOException e) {
                throw new UncheckedIOException("mastering failed: " + e.getMessage(), e);
            }
        };
    }

    /** The reference's spectrum, or null without one; fails (the analyzer, with the reason) when it is unusable. */
    private static LongTermSpectrum reference(Params params) {
        if (params.has(REFERENCE_PATH)) {
            return ReferenceSpectrum.of(Path.of(params.string(REFERENCE_PATH)));
        }
        if (params.has(REFERENCE_SHA256)) {
            throw new IllegalArgumentException("the reference recording " + params.string(REFERENCE_SHA256)
                    + " is not in this catalog (no stored audio with that sha256)");
        }
        if (params.has(TONAL_BALANCE)) {
            throw new IllegalArgumentException("tonal_balance needs a reference recording");
        }
        return null;
    }

    private static TonalBalanceReport report(String reference, TonalBalance balance, double strength,
                                             LongTermSpectrum input, LongTermSpectrum output, LongTermSpectrum ref) {
        double[] gains = balance.gainsDb();
        List<TonalBalanceReport.Band> bands = new ArrayList<>();
        for (int b = 0; b < gains.length; b++) {
            bands.add(new TonalBalanceReport.Band(Math.round(balance.bands().centre(b) * 10) / 10.0, round(gains[b])));
        }
        return new TonalBalanceReport(reference, bands, strength, round(balance.distanceDb(input, ref)),
                round(balance.distanceDb(output, ref)));
    }

    private static SampleListener tee(SampleListener a, SampleListener b) {
        return new SampleListener() {
            @Override
            public void samples(float[] samples, int offset, int frames) {
                a.samples(samples, offset, frames);
                b.samples(samples, offset, frames);
            }

            @Override
            public void end() {
                a.end();
                b.end();
            }
        };
    }

    /**
     * @param before   the input's loudness, as reported
     * @param level    the loudness of what is rendered ({@code spool}: the input, or the equalized input)
     * @param spectra  also measure each render's long-term spectrum (for the tonal balance report)
     */
    private static Mastered master(LoudnessResult before, LoudnessResult level, PcmSpool spool, AudioInfo info,
                                   OutputStore store, double target, double ceiling, boolean spectra) throws IOException {
        if (level.integratedLufs() == null) {
            Render r = render(spool, info, store, 0, ceiling, spectra);
            return new Mastered(new MasteringResult(r.finish(), before, r.after, 0, round(r.reductionDb), target, ceiling,
                    "no gated loudness (silence, or shorter than 400 ms): level left unchanged, only the ceiling applied", null),
                    r.spectrum);
        }
        GainSearch search = new GainSearch(target, target - level.integratedLufs());
        Render best = null;
        for (int pass = 1; pass <= MAX_PASSES; pass++) {
            double gain = search.next();
            Render r = render(spool, info, store, gain, ceiling, spectra);
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
        return new Mastered(new MasteringResult(r.finish(), before, r.after, round(gain), round(r.reductionDb), target,
                ceiling, note, null), r.spectrum);
    }

    private record Mastered(MasteringResult result, LongTermSpectrum spectrum) {
    }

    /** One second pass: gain, limiter, WAV output and the after-measurement. */
    private static Render render(PcmSpool spool, AudioInfo info, OutputStore store, double gainDb, double ceilingDbtp,
                                 boolean spectrum) throws IOException {
        int channels = info.channels();
        long total = spool.frames();
        OutputStore.Output output = store.create("master.wav", WavWriter.MEDIA_TYPE);
        try {
            WavWriter wav = new WavWriter(output.stream(), info.sampleRate(), channels, total);
            EbuR128Analyzer.Meter after = EbuR128Analyzer.Meter.forRecording(info, true);
            LongTermSpectrum afterSpectrum = spectrum ? new LongTermSpectrum(info.sampleRate(), channels) : null;
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
                    if (afterSpectrum != null) afterSpectrum.samples(limited, skip * channels, n);
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
            return new Render(output, after.result(), limiter.maxReductionDb(), afterSpectrum);
        } catch (IOException | RuntimeException e) {
            output.close();
            throw e;
        }
    }

    private static final class Render {
        final OutputStore.Output pending;
        final LoudnessResult after;
        final double reductionDb;
        final LongTermSpectrum spectrum;
        double gainDb;
        OutputRef output;

        Render(OutputStore.Output pending, LoudnessResult after, double reductionDb, LongTermSpectrum spectrum) {
            this.pending = pending;
            this.after = after;
            this.reductionDb = reductionDb;
            this.spectrum = spectrum;
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
