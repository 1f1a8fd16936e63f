package io.tonearm.analysis.pitch;

import java.util.Random;

/** Synthesized test signals with known f0, at any rate, mono. */
final class Signals {

    static final int RATE = 22050;
    /** Harmonic amplitudes 1, 1/2, 1/3, 1/4: a plain, bright tone. */
    private static final double[] HARMONICS = {1, 0.5, 1 / 3.0, 0.25};

    private Signals() {
    }

    /** A steady harmonic tone at 0.5 peak-ish level. */
    static float[] tone(double hz, double seconds) {
        return notes(new double[]{hz}, seconds);
    }

    /** Consecutive harmonic notes with continuous phase, {@code seconds} each, 5 ms fades at the ends only. */
    static float[] notes(double[] hz, double secondsEach) {
        int per = (int) Math.round(secondsEach * RATE);
        float[] out = new float[per * hz.length];
        double[] phase = new double[HARMONICS.length];
        for (int n = 0; n < hz.length; n++) {
            for (int i = 0; i < per; i++) {
                double v = 0;
                for (int h = 0; h < HARMONICS.length; h++) {
                    double f = hz[n] * (h + 1);
                    if (f < RATE / 2.0) v += HARMONICS[h] * Math.sin(phase[h]);
                    phase[h] += 2 * Math.PI * f / RATE;
                }
                out[n * per + i] = (float) (0.25 * v);
            }
        }
        fade(out, (int) (0.005 * RATE));
        return out;
    }

    /** Exponential glide from {@code from} to {@code to} Hz; instantaneous f0 = from·(to/from)^(t/seconds). */
    static float[] glide(double from, double to, double seconds) {
        int n = (int) Math.round(seconds * RATE);
        float[] out = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double f = glideHz(from, to, seconds, i / (double) RATE);
            double v = 0;
            for (int h = 0; h < HARMONICS.length; h++) v += HARMONICS[h] * Math.sin((h + 1) * phase);
            out[i] = (float) (0.25 * v);
            phase += 2 * Math.PI * f / RATE;
        }
        return out;
    }

    static double glideHz(double from, double to, double seconds, double t) {
        return from * Math.pow(to / from, t / seconds);
    }

    /** Gaussian white noise of the given RMS. */
    static float[] noise(int n, double rms, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (r.nextGaussian() * rms);
        return out;
    }

    /** {@code signal} plus white noise at the given signal-to-noise ratio in dB. */
    static float[] withNoise(float[] signal, double snrDb, long seed) {
        double power = 0;
        for (float v : signal) power += v * v;
        power /= signal.length;
        float[] noise = noise(signal.length, Math.sqrt(power / Math.pow(10, snrDb / 10)), seed);
        float[] out = new float[signal.length];
        for (int i = 0; i < out.length; i++) out[i] = signal[i] + noise[i];
        return out;
    }

    static double rms(float[] x) {
        double s = 0;
        for (float v : x) s += v * v;
        return Math.sqrt(s / x.length);
    }

    private static void fade(float[] x, int n) {
        for (int i = 0; i < n && i < x.length; i++) {
            double g = i / (double) n;
            x[i] *= g;
            x[x.length - 1 - i] *= g;
        }
    }
}
