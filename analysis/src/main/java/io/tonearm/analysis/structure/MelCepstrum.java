package io.tonearm.analysis.structure;

/**
 * Mel-frequency cepstral coefficients of a magnitude spectrum (Davis &amp; Mermelstein 1980; the HTK/librosa
 * recipe): power spectrum through {@value #BANDS} triangular mel filters (Slaney's mel scale, unit-area filters)
 * from {@value #MIN_HZ} to {@value #MAX_HZ} Hz, log, orthonormal DCT-II. Coefficient 0 (overall level) is left
 * out: sections should group by timbre, not by how loud a passage is. Log mel energies are additive over frames,
 * so callers may average them first and transform once ({@link #cepstrum}).
 */
final class MelCepstrum {

    static final int BANDS = 40;
    static final int COEFFICIENTS = 13;       // c1..c13
    static final double MIN_HZ = 40;
    static final double MAX_HZ = 8000;
    /** Floor of the band energies (≈ −100 dB below a full-scale sine's band energy) so silence stays finite. */
    private static final double FLOOR = 1e-10;

    private final int[] start;
    private final float[][] weights;
    private final double[][] dct = new double[COEFFICIENTS][BANDS];

    /**
     * @param bins  magnitude bins per frame (size / 2 + 1)
     * @param binHz bin spacing in Hz
     * @param scale divides every magnitude, so that a full-scale sine gives band energies near 1 (size / 4 for a Hann window)
     */
    MelCepstrum(int bins, double binHz, double scale) {
        start = new int[BANDS];
        weights = new float[BANDS][];
        double lo = mel(MIN_HZ), hi = mel(MAX_HZ);
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) edges[i] = hz(lo + (hi - lo) * i / (BANDS + 1));
        double norm = 1 / (scale * scale);
        for (int b = 0; b < BANDS; b++) {
            int first = (int) Math.ceil(edges[b] / binHz), last = Math.min(bins - 1, (int) Math.floor(edges[b + 2] / binHz));
            if (last < first) last = first = Math.min(bins - 1, (int) Math.round(edges[b + 1] / binHz));  // narrower than a bin
            float[] w = new float[last - first + 1];
            double sum = 0;
            for (int k = first; k <= last; k++) {
                double f = k * binHz;
                double v = f <= edges[b + 1] ? (f - edges[b]) / (edges[b + 1] - edges[b]) : (edges[b + 2] - f) / (edges[b + 2] - edges[b + 1]);
                w[k - first] = (float) Math.max(v, 0);
                sum += w[k - first];
            }
            if (sum == 0) {
                w[0] = 1;
                sum = 1;
            }
            for (int i = 0; i < w.length; i++) w[i] = (float) (w[i] / sum * norm);
            start[b] = first;
            weights[b] = w;
        }
        for (int c = 0; c < COEFFICIENTS; c++) {
            for (int b = 0; b < BANDS; b++) dct[c][b] = Math.sqrt(2.0 / BANDS) * Math.cos(Math.PI * (c + 1) * (b + 0.5) / BANDS);
        }
    }

    /** Adds the frame's log mel energies to {@code sums} (length {@value #BANDS}). */
    void addLogMel(float[] magnitude, double[] sums) {
        for (int b = 0; b < BANDS; b++) {
            float[] w = weights[b];
            int s = start[b];
            double acc = 0;
            for (int i = 0; i < w.length; i++) {
                double m = magnitude[s + i];
                acc += w[i] * m * m;
            }
            sums[b] += Math.log(acc + FLOOR);
        }
    }

    /** c1..c{@value #COEFFICIENTS} of (mean) log mel energies. */
    float[] cepstrum(double[] logMel) {
        float[] out = new float[COEFFICIENTS];
        for (int c = 0; c < COEFFICIENTS; c++) {
            double acc = 0;
            for (int b = 0; b < BANDS; b++) acc += dct[c][b] * logMel[b];
            out[c] = (float) acc;
        }
        return out;
    }

    /** Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above. */
    static double mel(double hz) {
        return hz < 1000 ? hz / (200.0 / 3) : 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27);
    }

    static double hz(double mel) {
        return mel < 15 ? mel * (200.0 / 3) : 1000 * Math.exp((mel - 15) * (Math.log(6.4) / 27));
    }
}
