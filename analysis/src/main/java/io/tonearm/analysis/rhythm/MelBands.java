package io.tonearm.analysis.rhythm;

/**
 * Triangular mel filterbank (Slaney's mel scale, as librosa's default), each triangle normalized to unit sum so
 * a band holds the mean magnitude of its bins. Sparse: only the non-zero weights are stored.
 */
final class MelBands {

    private final int[] start;
    private final float[][] weights;
    private final double[] centreHz;

    MelBands(int fftSize, double binHz, int bands, double minHz, double maxHz) {
        int bins = fftSize / 2 + 1;
        double lo = hzToMel(minHz), hi = hzToMel(maxHz);
        double[] edges = new double[bands + 2];
        for (int i = 0; i < edges.length; i++) edges[i] = melToHz(lo + (hi - lo) * i / (bands + 1));
        start = new int[bands];
        weights = new float[bands][];
        centreHz = new double[bands];
        for (int b = 0; b < bands; b++) {
            double left = edges[b], centre = edges[b + 1], right = edges[b + 2];
            centreHz[b] = centre;
            int first = (int) Math.ceil(left / binHz), last = Math.min(bins - 1, (int) Math.floor(right / binHz));
            if (last < first) { // narrower than a bin: take the nearest bin
                first = last = Math.min(bins - 1, (int) Math.round(centre / binHz));
            }
            float[] w = new float[last - first + 1];
            double sum = 0;
            for (int k = first; k <= last; k++) {
                double f = k * binHz;
                double v = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                w[k - first] = (float) Math.max(0, v);
                sum += w[k - first];
            }
            if (sum == 0) {
                w[(int) Math.round(centre / binHz) - first] = 1;
                sum = 1;
            }
            for (int i = 0; i < w.length; i++) w[i] /= (float) sum;
            start[b] = first;
            weights[b] = w;
        }
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

    // Slaney's mel scale: linear below 1 kHz, logarithmic above.
    static double hzToMel(double hz) {
        return hz < 1000 ? hz / (200.0 / 3) : 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27);
    }

    static double melToHz(double mel) {
        return mel < 15 ? mel * 200.0 / 3 : 1000 * Math.exp((mel - 15) * Math.log(6.4) / 27);
    }
}
