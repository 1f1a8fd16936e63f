package io.tonearm.analysis.tonal;

/**
 * Sinusoidal peaks of one magnitude spectrum (Hann window), as in Serra's spectral modeling synthesis: local maxima
 * that stand {@value #PROMINENCE_DB} dB above their neighbourhood (the geometric-mean magnitude within
 * ±{@value #NEIGHBOURHOOD_BINS} bins) and no more than 60 dB below the band's strongest peak, with frequency and
 * amplitude refined by a parabola through the log-magnitudes of the peak bin and its two neighbours.
 * Reusable by any analyzer that needs partials rather than bins; one instance per stream (it keeps a scratch array).
 */
final class SpectralPeaks {

    /** Receives each peak: frequency in Hz and amplitude (1 = a full-scale sine). */
    interface Sink {
        void peak(double hz, double amplitude);
    }

    static final double PROMINENCE_DB = 6;
    static final int NEIGHBOURHOOD_BINS = 8;
    private static final double PROMINENCE = PROMINENCE_DB / 20 * Math.log(10);
    /** Peaks this far below the band's strongest one are ignored. */
    private static final double RELATIVE_FLOOR = 1e-3;   // -60 dB
    /** Absolute floor in amplitude units: -100 dBFS. */
    private static final double ABSOLUTE_FLOOR = 1e-5;

    private final int windowSize;
    private final double binHz;
    private double[] logPrefix = new double[0];

    /** @param windowSize FFT size (the magnitude array has windowSize/2 + 1 bins) */
    SpectralPeaks(int windowSize, double binHz) {
        this.windowSize = windowSize;
        this.binHz = binHz;
    }

    /** Finds the peaks between {@code minHz} and {@code maxHz} of a Hann-windowed magnitude spectrum. */
    void find(float[] magnitude, double minHz, double maxHz, Sink sink) {
        double toAmplitude = 4.0 / windowSize;          // a sine of amplitude A peaks at A*size/4 under a Hann window
        int lo = Math.max(1, (int) Math.floor(minHz / binHz));
        int hi = Math.min(magnitude.length - 2, (int) Math.ceil(maxHz / binHz));
        float max = 0;
        for (int k = lo; k <= hi; k++) max = Math.max(max, magnitude[k]);
        double floor = Math.max(max * toAmplitude * RELATIVE_FLOOR, ABSOLUTE_FLOOR) / toAmplitude;

        int from = Math.max(1, lo - NEIGHBOURHOOD_BINS), to = Math.min(magnitude.length - 1, hi + NEIGHBOURHOOD_BINS);
        if (logPrefix.length < magnitude.length + 1) logPrefix = new double[magnitude.length + 1];
        for (int k = from; k <= to; k++) logPrefix[k + 1] = logPrefix[k] + Math.log(magnitude[k] + 1e-9);

        for (int k = lo; k <= hi; k++) {
            float m = magnitude[k];
            if (m <= floor || m <= magnitude[k - 1] || m < magnitude[k + 1]) continue;
            int a0 = Math.max(from, k - NEIGHBOURHOOD_BINS), a1 = Math.min(to, k + NEIGHBOURHOOD_BINS);
            double localLogMean = (logPrefix[a1 + 1] - logPrefix[a0]) / (a1 - a0 + 1);
            double b = Math.log(m);
            if (b < localLogMean + PROMINENCE) continue;
            double a = Math.log(magnitude[k - 1] + 1e-12), c = Math.log(magnitude[k + 1] + 1e-12);
            double denom = a - 2 * b + c;
            double p = denom < 0 ? 0.5 * (a - c) / denom : 0;
            double hz = (k + p) * binHz;
            if (hz < minHz || hz > maxHz) continue;
            sink.peak(hz, Math.exp(b - 0.25 * (a - c) * p) * toAmplitude);
        }
    }
}
