package io.tonearm.analysis.rhythm;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Autocorrelation of a (compact) feature sequence through the FFT (Wiener–Khinchin), unbiased (each lag divided by
 * its number of overlapping pairs) and normalized so lag 0 is 1. Reusable for any periodicity question
 * (tempo, meter, repetition).
 */
public final class Autocorrelation {

    private final double[] r;

    private Autocorrelation(double[] r) {
        this.r = r;
    }

    /** Autocorrelation of {@code x} (mean removed) up to {@code maxLag}; all zeros if {@code x} is constant. */
    public static Autocorrelation of(double[] x, int maxLag) {
        int n = x.length;
        maxLag = Math.max(0, Math.min(maxLag, n - 1));
        double mean = 0;
        for (double v : x) mean += v;
        mean /= Math.max(1, n);
        int size = Integer.highestOneBit(Math.max(1, 2 * n - 1)) << 1;
        double[] a = new double[size];
        for (int i = 0; i < n; i++) a[i] = x[i] - mean;
        DoubleFFT_1D fft = new DoubleFFT_1D(size);
        fft.realForward(a);
        a[0] = a[0] * a[0];
        a[1] = a[1] * a[1];
        for (int k = 1; k < size / 2; k++) {
            a[2 * k] = a[2 * k] * a[2 * k] + a[2 * k + 1] * a[2 * k + 1];
            a[2 * k + 1] = 0;
        }
        fft.realInverse(a, true);
        double[] r = new double[maxLag + 1];
        if (n == 0 || !(a[0] > 1e-12)) return new Autocorrelation(r);
        double zero = a[0] / n;
        for (int l = 0; l <= maxLag; l++) r[l] = a[l] / (n - l) / zero;
        return new Autocorrelation(r);
    }

    public int maxLag() {
        return r.length - 1;
    }

    /** Value at an integer lag. */
    public double at(int lag) {
        return lag < 0 || lag >= r.length ? 0 : r[lag];
    }

    /**
     * Value at a fractional lag through the parabola of the three nearest lags (so a peak between two lags is
     * found where it is, not snapped to a lag as linear interpolation would); 0 outside the computed range.
     */
    public double at(double lag) {
        if (lag < 0 || lag > r.length - 1) return 0;
        int i = (int) Math.round(lag);
        if (i == 0 || i == r.length - 1) return r[i];
        double f = lag - i;
        return r[i] + 0.5 * f * (r[i + 1] - r[i - 1]) + 0.5 * f * f * (r[i + 1] - 2 * r[i] + r[i - 1]);
    }
}
