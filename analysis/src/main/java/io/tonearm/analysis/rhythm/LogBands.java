package io.tonearm.analysis.rhythm;

import java.util.Arrays;

/**
 * SuperFlux's filterbank (madmom's {@code LogarithmicFilterbank}): triangular filters centred on frequencies
 * spaced {@code bandsPerOctave} per octave (referenced to 440 Hz), mapped to FFT bins; where bands are narrower
 * than a bin, duplicates are merged so each low band is one bin. Each filter is normalized to unit area. Sparse.
 */
final class LogBands {

    private final int[] start;
    private final float[][] weights;
    private final double[] centreHz;

    /**
     * @param bins  number of FFT bins used (madmom drops the Nyquist bin: frame size / 2)
     * @param binHz bin spacing in Hz
     */
    LogBands(int bins, double binHz, int bandsPerOctave, double minHz, double maxHz) {
        // centre frequencies → unique bins
        int[] centres = new int[bins];
        int count = 0;
        int kMin = (int) Math.floor(bandsPerOctave * Math.log(minHz / 440) / Math.log(2));
        int kMax = (int) Math.ceil(bandsPerOctave * Math.log(maxHz / 440) / Math.log(2));
        for (int k = kMin; k < kMax; k++) {
            double f = 440 * Math.pow(2, k / (double) bandsPerOctave);
            if (f < minHz || f > maxHz) continue;
            int bin = Math.min(bins - 1, (int) Math.round(f / binHz)); // above Nyquist: the last bin, as madmom
            if (count == 0 || centres[count - 1] != bin) centres[count++] = bin;
        }
        centres = Arrays.copyOf(centres, count);
        int bands = Math.max(0, count - 2);
        start = new int[bands];
        weights = new float[bands][];
        centreHz = new double[bands];
        for (int b = 0; b < bands; b++) {
            int lo = centres[b], mid = centres[b + 1], hi = centres[b + 2];
            if (hi - lo < 2) { // too narrow for a triangle: a single bin (madmom's rule)
                mid = lo;
                hi = lo + 1;
            }
            float[] w = new float[hi - lo];
            double sum = 0;
            for (int k = lo; k < hi; k++) {
                double v = k <= mid ? (mid == lo ? 1 : (k - lo) / (double) (mid - lo)) : (hi - k) / (double) (hi - mid);
                w[k - lo] = (float) v;
                sum += v;
            }
            for (int i = 0; i < w.length; i++) w[i] /= (float) sum;
            start[b] = lo;
            weights[b] = w;
            centreHz[b] = mid * binHz;
        }
    }

    int bands() {
        return start.length;
    }

    void apply(float[] magnitude, float[] out) {
        for (int b = 0; b < start.length; b++) {
            float[] w = weights[b];
            int s = start[b];
            float acc = 0;
            for (int i = 0; i < w.length; i++) acc += w[i] * magnitude[s + i];
            out[b] = acc;
        }
    }

    int bandsBelow(double hz) {
        int n = 0;
        while (n < centreHz.length && centreHz[n] < hz) n++;
        return n;
    }
}
