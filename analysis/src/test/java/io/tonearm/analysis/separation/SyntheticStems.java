package io.tonearm.analysis.separation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Four known stems, interleaved, summed into a mix: drums = kicks (falling sine sweeps), snares and hi-hats
 * (noise bursts), centre; bass = a low harmonic tone (three partials) walking under 100 Hz, centre; vocals = a
 * harmonic tone with 5.5 Hz vibrato singing a melody, centre; other = sustained triads panned wide (two voices
 * left, one right).
 */
final class SyntheticStems {

    final Map<String, float[]> stems = new LinkedHashMap<>();
    final float[] mix;
    final int rate;
    final int channels;

    SyntheticStems(int rate, int channels, double seconds) {
        this.rate = rate;
        this.channels = channels;
        int n = (int) (rate * seconds);
        double[][] drums = new double[2][n];
        double[][] bass = new double[2][n];
        double[][] vocals = new double[2][n];
        double[][] other = new double[2][n];
        Random random = new Random(7);
        double beat = 0.5;
        for (int k = 0; k * beat * rate < n; k++) {
            int start = (int) (k * beat * rate);
            double phase = 0;
            for (int i = start; i < Math.min(n, start + rate / 4); i++) { // kick
                double t = (i - start) / (double) rate;
                phase += 2 * Math.PI * (45 + 75 * Math.exp(-t / 0.03)) / rate;
                double v = 0.8 * Math.exp(-t / 0.12) * Math.sin(phase);
                drums[0][i] += v;
                drums[1][i] += v;
            }
            int hat = start + (int) (beat / 2 * rate);
            double last = 0;
            for (int i = hat; i < Math.min(n, hat + rate / 20); i++) { // hi-hat: differentiated noise
                double w = random.nextGaussian();
                double v = 0.25 * Math.exp(-(i - hat) / (0.015 * rate)) * (w - last);
                last = w;
                drums[0][i] += v;
                drums[1][i] += v;
            }
            if (k % 2 == 1) {
                for (int i = start; i < Math.min(n, start + rate / 6); i++) { // snare
                    double v = 0.35 * Math.exp(-(i - start) / (0.05 * rate)) * random.nextGaussian();
                    drums[0][i] += v;
                    drums[1][i] += v;
                }
            }
        }
        double[] bassNotes = {55.0, 65.41, 73.42, 82.41};
        double bassPhase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            int note = (int) (t / 1.0);
            double within = t - note;
            double env = Math.min(1, within / 0.02) * Math.min(1, (1.0 - within) / 0.05);
            bassPhase += 2 * Math.PI * bassNotes[note % bassNotes.length] / rate;
            double v = 0.35 * env * (Math.sin(bassPhase) + 0.3 * Math.sin(2 * bassPhase) + 0.1 * Math.sin(3 * bassPhase));
            bass[0][i] = v;
            bass[1][i] = v;
        }
        double[] melody = {440.0, 493.88, 523.25, 587.33, 659.26, 587.33, 523.25, 493.88};
        double vocalPhase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            int note = (int) (t / 0.75);
            double within = t - note * 0.75;
            double env = Math.min(1, within / 0.05) * Math.min(1, (0.75 - within) / 0.08);
            double f = melody[note % melody.length] * Math.pow(2, 0.5 / 12 * Math.sin(2 * Math.PI * 5.5 * t));
            vocalPhase += 2 * Math.PI * f / rate;
            double v = 0;
            for (int h = 1; h <= 8; h++) v += Math.sin(h * vocalPhase) / h;
            v *= 0.15 * env;
            vocals[0][i] = v;
            vocals[1][i] = v;
        }
        double[][] chords = {{261.63, 329.63, 392.0}, {220.0, 261.63, 329.63}, {174.61, 220.0, 261.63}, {196.0, 246.94, 293.66}};
        double[][] pans = {{0.9, 0.15}, {0.85, 0.2}, {0.15, 0.9}};
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            int chord = (int) (t / 2.0);
            double within = t - chord * 2.0;
            double env = Math.min(1, within / 0.1) * Math.min(1, (2.0 - within) / 0.1);
            for (int voice = 0; voice < 3; voice++) {
                double f = chords[chord % chords.length][voice];
                double v = 0.08 * env * (Math.sin(2 * Math.PI * f * t) + 0.4 * Math.sin(4 * Math.PI * f * t));
                other[0][i] += pans[voice][0] * v;
                other[1][i] += pans[voice][1] * v;
            }
        }
        stems.put("drums", interleave(drums, n));
        stems.put("bass", interleave(bass, n));
        stems.put("vocals", interleave(vocals, n));
        stems.put("other", interleave(other, n));
        mix = new float[n * channels];
        for (float[] s : stems.values()) for (int i = 0; i < mix.length; i++) mix[i] += s[i];
    }

    /** Stereo as is; mono as the mean of the two sides. */
    private float[] interleave(double[][] lr, int n) {
        float[] out = new float[n * channels];
        for (int i = 0; i < n; i++) {
            if (channels == 1) {
                out[i] = (float) ((lr[0][i] + lr[1][i]) / 2);
            } else {
                for (int c = 0; c < channels; c++) out[i * channels + c] = (float) lr[c % 2][i];
            }
        }
        return out;
    }

    float[] instrumental() {
        float[] sum = new float[mix.length];
        for (String name : new String[] {"drums", "bass", "other"}) {
            float[] s = stems.get(name);
            for (int i = 0; i < sum.length; i++) sum[i] += s[i];
        }
        return sum;
    }

    /** BSS-eval-style signal-to-distortion ratio, 10·log10(|s|² / |s − ŝ|²), in dB. */
    static double sdr(float[] reference, float[] estimate) {
        double signal = 0;
        double error = 0;
        for (int i = 0; i < reference.length; i++) {
            signal += reference[i] * (double) reference[i];
            double e = reference[i] - (double) estimate[i];
            error += e * e;
        }
        return 10 * Math.log10(signal / Math.max(error, 1e-30));
    }
}
