package io.tonearm.analysis.loudness;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Loudness per ITU-R BS.1770-4 and EBU R128 (integrated loudness, Tech 3342 loudness range, maximum momentary
 * and short-term loudness, true and sample peak), measured on the original channels at the file's own rate,
 * never on a downmix. Streaming: the K-weighted signal is reduced on the fly to one channel-weighted energy per
 * 100 ms ({@link BlockEnergies}), from which gating and loudness range are computed at the end; the loudest
 * momentary and short-term windows are tracked at 10 ms resolution ({@link WindowMaxima}).
 */
public final class EbuR128Analyzer implements Analyzer<LoudnessResult> {

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("loudness-ebur128", 1,
                    "EBU R128 / ITU-R BS.1770-4 loudness: integrated (LUFS), loudness range (LU, EBU Tech 3342), "
                            + "max momentary and short-term loudness, true peak (dBTP) and sample peak (dBFS)")
            .withAliases("lufs")
            .withParams(ParamSpec.bool("true_peak", true, "measure the true peak by oversampling (the costliest part)"));

    static final int MOMENTARY_STEPS = 4;   // 400 ms
    static final int SHORT_TERM_STEPS = 30; // 3 s

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<LoudnessResult> start(Params params, RecordingContext recording) {
        Meter meter = new Meter(recording.info().sampleRate(), recording.info().channels(),
                ChannelWeights.forLayout(recording.info().channelLayout(), recording.info().channels()),
                params.bool("true_peak"));
        recording.onOriginal(meter);
        return meter::result;
    }

    /** One recording's measurement. */
    static final class Meter implements SampleListener {

        private final int channels;
        private final double[] weights;
        private final KWeightingFilter[] filters;
        private final int subStepFrames;
        private final int subStepsPerStep;
        private final double[] sums;
        private final BlockEnergies energies = new BlockEnergies();
        private final WindowMaxima maxima;
        private final TruePeakMeter truePeak;
        private final float[] samplePeaks;
        private int subStepFilled;
        private int subStepsInStep;
        private double stepEnergySum;

        Meter(int sampleRate, int channels, double[] weights, boolean measureTruePeak) {
            this.channels = channels;
            this.weights = weights;
            KWeightingFilter.Coefficients k = KWeightingFilter.Coefficients.forRate(sampleRate);
            this.filters = new KWeightingFilter[channels];
            for (int c = 0; c < channels; c++) filters[c] = new KWeightingFilter(k);
            // gating steps of 100 ms (rounded as libebur128 does), cut into 10 ms sub-steps when that is exact
            this.subStepsPerStep = sampleRate % 100 == 0 ? 10 : 1;
            this.subStepFrames = (sampleRate + 5) / 10 / subStepsPerStep;
            this.maxima = new WindowMaxima(subStepsPerStep);
            this.sums = new double[channels];
            this.truePeak = measureTruePeak ? new TruePeakMeter(sampleRate, channels) : null;
            this.samplePeaks = new float[channels];
        }

        @Override
        public void samples(float[] samples, int offset, int frames) {
            for (int c = 0; c < channels; c++) {
                float peak = samplePeaks[c];
                for (int i = 0, p = offset + c; i < frames; i++, p += channels) peak = Math.max(peak, Math.abs(samples[p]));
                samplePeaks[c] = peak;
            }
            if (truePeak != null) truePeak.add(samples, offset, frames);
            int pos = 0;
            while (pos < frames) {
                int n = Math.min(subStepFrames - subStepFilled, frames - pos);
                for (int c = 0; c < channels; c++) {
                    if (weights[c] != 0) sums[c] += filters[c].sumOfSquares(samples, offset + pos * channels + c, channels, n);
                }
                subStepFilled += n;
                pos += n;
                if (subStepFilled == subStepFrames) closeSubStep();
            }
        }

        private void closeSubStep() {
            double energy = 0;
            for (int c = 0; c < channels; c++) {
                energy += weights[c] * sums[c] / subStepFrames;
                sums[c] = 0;
            }
            subStepFilled = 0;
            maxima.add(energy);
            stepEnergySum += energy;
            if (++subStepsInStep == subStepsPerStep) {
                energies.add(stepEnergySum / subStepsPerStep);
                stepEnergySum = 0;
                subStepsInStep = 0;
            }
        }

        @Override
        public void end() {
            if (truePeak != null) truePeak.finish();
        }

        LoudnessResult result() {
            double[] blocks = energies.windows(MOMENTARY_STEPS);
            double[] shortTerm = energies.windows(SHORT_TERM_STEPS);
            Gating.Integrated integrated = Gating.integrated(blocks);
            Gating.Range range = Gating.range(shortTerm);
            Double tp = null;
            List<Double> channelTp = null;
            if (truePeak != null) {
                float[] peaks = truePeak.peaks();
                channelTp = new ArrayList<>(channels);
                float max = 0;
                for (int c = 0; c < channels; c++) {
                    float p = Math.max(peaks[c], samplePeaks[c]);
                    channelTp.add(decibels(p));
                    max = Math.max(max, p);
                }
                tp = decibels(max);
            }
            float samplePeak = 0;
            for (float p : samplePeaks) samplePeak = Math.max(samplePeak, p);
            return new LoudnessResult(round(integrated.lufs()), round(range.lu()), tp, decibels(samplePeak),
                    round(Gating.gatedLoudness(maxima.maxMomentary())), round(Gating.gatedLoudness(maxima.maxShortTerm())),
                    round(range.lowLufs()), round(range.highLufs()), round(integrated.relativeThresholdLufs()),
                    integrated.gatedBlocks(), channelTp, truePeak == null ? null : truePeak.factor());
        }

        double truePeakInterpolatedShare() {
            return truePeak == null ? 0 : truePeak.interpolatedShare();
        }
    }

    private static Double decibels(float linear) {
        return linear > 0 ? round(20.0 * Math.log10(linear)) : null;
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 100.0) / 100.0;
    }
}
