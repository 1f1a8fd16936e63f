package io.tonearm.analysis.mastering;

import io.tonearm.analysis.loudness.TruePeakMeter;

/**
 * A brickwall limiter that keeps the <em>true</em> peak (BS.1770-4 Annex 2) under a ceiling. Detection runs on
 * the signal oversampled with the same polyphase interpolator the loudness meter uses, so what this limiter
 * holds down is what the meter will read. The gain path follows the usual look-ahead design (as in Giannoulis,
 * Massberg &amp; Reiss 2012, and common open-source limiters): the gain each detected peak needs is held for the
 * look-ahead span (a sliding minimum), relaxed by a one-pole release, then smoothed by a moving average over the
 * look-ahead span, while the audio is delayed by that span. The moving average of values that are all below a
 * peak's required gain is itself below it, so the ceiling holds with no overshoot, and the gain ramps in over the
 * look-ahead time instead of jumping. Channels share one gain (linked), so the stereo image does not shift.
 */
final class LookaheadLimiter {

    static final double LOOKAHEAD_SECONDS = 0.005;
    static final double RELEASE_SECONDS = 0.1;

    private final int channels;
    private final float ceiling;
    private final float[][] phases;      // in-between interpolation phases, [phase][tap]
    private final int taps;
    private final int detectionDelay;    // the interpolator's centre, in samples
    private final float[][] history;     // per channel, the last `taps` input samples, newest first
    private final int box;               // moving-average length = look-ahead in samples
    private final int delay;             // audio delay
    private final float[] delayLine;     // (delay + 1) frames, interleaved
    private int delayPos;
    private final float[] holdValues;    // sliding minimum over `hold` steps: monotone deque of (step, value)
    private final long[] holdSteps;
    private int holdHead;
    private int holdSize;
    private final int hold;
    private final double releaseCoefficient;
    private double released = 1;
    private final double[] boxValues;
    private int boxPos;
    private double boxSum;
    private long step;
    private double minGain = 1;

    /** @param ceiling linear true-peak ceiling, e.g. 10^(-1/20) for -1 dBTP */
    LookaheadLimiter(int sampleRate, int channels, double ceiling) {
        this.channels = channels;
        this.ceiling = (float) ceiling;
        int factor = sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 1;
        if (factor == 1) {
            this.phases = new float[0][];
            this.taps = 1;
            this.detectionDelay = 0;
        } else {
            float[][] all = TruePeakMeter.polyphaseSinc(TruePeakMeter.TAPS, factor);
            this.phases = new float[factor - 1][];
            int longest = 1;
            for (int f = 1; f < factor; f++) longest = Math.max(longest, all[f].length);
            for (int f = 1; f < factor; f++) phases[f - 1] = java.util.Arrays.copyOf(all[f], longest);
            this.taps = Math.max(longest, (TruePeakMeter.TAPS - 1) / 2 / factor + 1);
            // phase f, tap t weighs x[i - t] by sinc(t - delay + f/factor): it estimates x(i - delay + f/factor)
            this.detectionDelay = (TruePeakMeter.TAPS - 1) / 2 / factor;
        }
        this.history = new float[channels][taps];
        this.box = Math.max(1, (int) Math.round(LOOKAHEAD_SECONDS * sampleRate));
        // a detection at step j covers the input between samples j-δ and j-δ+1; with output sample s = i - delay
        // at step i, the peaks around s are detected at steps s+δ-1 and s+δ, all inside every hold window the
        // moving average at step i spans when delay = box + δ - 1 and the hold spans box + 1 steps
        this.delay = box + detectionDelay - 1;
        this.hold = box + 1;
        this.delayLine = new float[(Math.max(delay, 0) + 1) * channels];
        this.holdValues = new float[hold + 1];
        this.holdSteps = new long[hold + 1];
        this.releaseCoefficient = 1 - Math.exp(-1.0 / (RELEASE_SECONDS * sampleRate));
        this.boxValues = new double[box];
        java.util.Arrays.fill(boxValues, 1.0);
        this.boxSum = box;
    }

    /** Output lags input by this many frames. */
    int latency() {
        return delay;
    }

    /** Largest gain reduction so far, in dB (0 when the limiter never acted). */
    double maxReductionDb() {
        return minGain >= 1 ? 0 : -20 * Math.log10(minGain);
    }

    /** Limits {@code frames} interleaved frames from {@code in} into {@code out} (the same count, {@link #latency()} late). */
    void process(float[] in, int offset, int frames, float[] out) {
        for (int i = 0; i < frames; i++) {
            int base = offset + i * channels;
            float peak = 0;
            for (int c = 0; c < channels; c++) peak = Math.max(peak, detect(history[c], in[base + c]));
            float required = peak > ceiling ? ceiling / peak : 1f;
            double gain = smoothedGain(required);
            // audio delay line: write the new frame, read the one `delay` frames old
            int frameSlots = delayLine.length / channels;
            int write = delayPos * channels;
            for (int c = 0; c < channels; c++) delayLine[write + c] = in[base + c];
            int read = ((delayPos - delay) % frameSlots + frameSlots) % frameSlots * channels;
            for (int c = 0; c < channels; c++) out[i * channels + c] = (float) (delayLine[read + c] * gain);
            delayPos = (delayPos + 1) % frameSlots;
            step++;
        }
    }

    /** Pushes x into the channel's history and returns the largest magnitude around sample i - δ (sample and in-between). */
    private float detect(float[] h, float x) {
        System.arraycopy(h, 0, h, 1, taps - 1);
        h[0] = x;
        float max = Math.abs(h[detectionDelay]);
        for (float[] phase : phases) {
            float y = 0;
            for (int t = 0; t < phase.length; t++) y += phase[t] * h[t];
            max = Math.max(max, Math.abs(y));
        }
        return max;
    }

    private double smoothedGain(float required) {
        // sliding minimum over the last `hold` steps (monotone deque in a ring)
        while (holdSize > 0 && holdValues[(holdHead + holdSize - 1) % holdValues.length] >= required) holdSize--;
        int tail = (holdHead + holdSize) % holdValues.length;
        holdValues[tail] = required;
        holdSteps[tail] = step;
        holdSize++;
        while (holdSteps[holdHead] <= step - hold) {
            holdHead = (holdHead + 1) % holdValues.length;
            holdSize--;
        }
        double held = holdValues[holdHead];
        released = Math.min(held, released + (1 - released) * releaseCoefficient);
        boxSum += released - boxValues[boxPos];
        boxValues[boxPos] = released;
        boxPos = (boxPos + 1) % box;
        if (boxPos == 0) { // re-sum once per cycle so rounding cannot drift the gain upward
            boxSum = 0;
            for (double v : boxValues) boxSum += v;
        }
        double gain = Math.min(1.0, boxSum / box);
        minGain = Math.min(minGain, gain);
        return gain;
    }
}
