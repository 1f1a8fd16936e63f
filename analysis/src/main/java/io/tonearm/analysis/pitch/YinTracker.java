package io.tonearm.analysis.pitch;

import be.tarsos.dsp.pitch.FastYin;
import be.tarsos.dsp.pitch.PitchDetectionResult;
import io.tonearm.analysis.SampleListener;

/**
 * YIN f0 per frame (de Cheveigné &amp; Kawahara, JASA 2002), with TarsosDSP's {@link FastYin}, which computes the
 * difference function through an FFT (Mauch's implementation, after aubio). The frame is the smallest power
 * of two whose half (YIN's lag range) holds the period of {@code minHz}: 1024 samples (46 ms) at 50 Hz.
 * YIN's absolute threshold is {@code 1 − voicingThreshold}: a frame is voiced when its best dip of the
 * cumulative-mean-normalised difference, the aperiodic share of its power, lies below it; the confidence is
 * {@code 1 − d'(τ)}. Estimates outside [minHz, maxHz] and frames below the silence floor are unvoiced.
 */
final class YinTracker implements SampleListener {

    private final double rate;
    private final double minHz;
    private final double maxHz;
    private final FastYin yin;
    private final CenteredFrames frames;
    private final PitchContour contour;

    YinTracker(double rate, double hopSeconds, double minHz, double maxHz, double voicingThreshold, PitchContour contour) {
        this.rate = rate;
        this.minHz = minHz;
        this.maxHz = maxHz;
        this.contour = contour;
        int size = frameSize(rate, minHz);
        this.yin = new FastYin((float) rate, size, 1 - voicingThreshold);
        this.frames = new CenteredFrames(size, hopSeconds, rate, (frame, index) -> estimate(frame));
    }

    /** Smallest power of two whose half covers the longest period plus the two lags parabolic interpolation reads. */
    static int frameSize(double rate, double minHz) {
        int maxLag = (int) Math.ceil(rate / minHz) + 2;
        return Integer.highestOneBit(2 * maxLag - 1) << 1;
    }

    @Override
    public void samples(float[] samples, int offset, int n) {
        frames.push(samples, offset, n);
    }

    @Override
    public void end() {
        frames.finish();
    }

    private void estimate(float[] frame) {
        if (Silence.isSilent(frame)) {
            contour.add(Double.NaN, 0);
            return;
        }
        PitchDetectionResult r = yin.getPitch(frame);
        double hz = r.getPitch();
        boolean voiced = r.isPitched() && hz >= minHz && hz <= maxHz;
        contour.add(voiced ? hz : Double.NaN, voiced ? r.getProbability() : 0);
    }
}
