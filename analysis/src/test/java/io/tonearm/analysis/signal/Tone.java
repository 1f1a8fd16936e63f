package io.tonearm.analysis.signal;

import org.jtransforms.fft.DoubleFFT_1D;

/** Measures a steady tone: its frequency (Hann-windowed FFT peak, parabolic interpolation) and amplitude (RMS·√2). */
public final class Tone {

    private Tone() {
    }

    /** Frequency in Hz of the strongest component of {@code x[from, from+n)}; n a power of two. */
    public static double frequency(float[] x, int from, int n, double rate) {
        double[] mag = magnitudes(x, from, n);
        int peak = 1;
        for (int k = 2; k < mag.length - 1; k++) if (mag[k] > mag[peak]) peak = k;
        double a = Math.log(mag[peak - 1] + 1e-30), b = Math.log(mag[peak] + 1e-30), c = Math.log(mag[peak + 1] + 1e-30);
        double delta = 0.5 * (a - c) / (a - 2 * b + c);
        return (peak + delta) * rate / n;
    }

    /** Peak amplitude of a sine from the RMS of {@code x[from, from+n)}. */
    public static double amplitude(float[] x, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) sum += x[i] * (double) x[i];
        return Math.sqrt(sum / n) * Math.sqrt(2);
    }

    /** Hann-windowed magnitude spectrum, n/2 bins. */
    public static double[] magnitudes(float[] x, int from, int n) {
        double[] buf = new double[n];
        for (int i = 0; i < n; i++) buf[i] = x[from + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        new DoubleFFT_1D(n).realForward(buf);
        double[] mag = new double[n / 2];
        for (int k = 1; k < n / 2; k++) mag[k] = Math.hypot(buf[2 * k], buf[2 * k + 1]);
        mag[0] = Math.abs(buf[0]);
        return mag;
    }
}
