package io.tonearm.analysis.rhythm;

import java.util.Arrays;

/**
 * Beat tracking by dynamic programming (Ellis, "Beat tracking by dynamic programming", JNMR 2007), as librosa's
 * {@code beat_track} implements it: the best sequence of beats maximizes the onset strength at the beats plus a
 * penalty {@code -tightness·log²(interval/period)} on every inter-beat interval; the last beat is the last strong
 * peak of the cumulative score, and weak beats at either end (silence, fade-in) are trimmed.
 */
final class BeatTracker {

    static final double TIGHTNESS = 100;

    private BeatTracker() {
    }

    /** Beat positions in envelope frames, ascending; empty when the envelope has no energy. */
    static int[] track(float[] envelope, double period) {
        int n = envelope.length;
        if (n == 0 || !(period >= 1)) return new int[0];
        double[] local = localScore(envelope, period);
        if (local == null) return new int[0];

        double[] cumulative = new double[n];
        int[] back = new int[n];
        int from = (int) Math.round(2 * period), to = Math.max(1, (int) Math.round(period / 2));
        double[] penalty = new double[from + 1];
        for (int d = to; d <= from; d++) {
            double l = Math.log(d / period);
            penalty[d] = -TIGHTNESS * l * l;
        }
        double max = 0;
        for (double v : local) max = Math.max(max, v);
        boolean started = false;
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            int arg = -1;
            for (int d = to; d <= from && i - d >= 0; d++) {
                double s = cumulative[i - d] + penalty[d];
                if (s > best) {
                    best = s;
                    arg = i - d;
                }
            }
            // before the first real onset a beat starts the chain rather than extending one (librosa's first_beat)
            if (!started && local[i] < 0.01 * max || arg < 0 || best < 0) {
                cumulative[i] = local[i];
                back[i] = -1;
            } else {
                cumulative[i] = local[i] + best;
                back[i] = arg;
            }
            if (local[i] >= 0.01 * max) started = true;
        }

        int last = lastBeat(cumulative);
        int[] beats = new int[n];
        int count = 0;
        for (int b = last; b >= 0; b = back[b]) beats[count++] = b;
        int[] ordered = new int[count];
        for (int i = 0; i < count; i++) ordered[i] = beats[count - 1 - i];
        return trim(ordered, local);
    }

    /** The envelope divided by its standard deviation, smoothed by a Gaussian of period/32 (librosa). */
    private static double[] localScore(float[] envelope, double period) {
        int n = envelope.length;
        double mean = 0, sq = 0;
        for (float v : envelope) mean += v;
        mean /= n;
        for (float v : envelope) sq += (v - mean) * (v - mean);
        double std = Math.sqrt(sq / Math.max(1, n - 1));
        if (!(std > 0)) return null;
        int half = (int) Math.round(period);
        double[] kernel = new double[2 * half + 1];
        for (int k = -half; k <= half; k++) {
            double x = k * 32.0 / period;
            kernel[k + half] = Math.exp(-0.5 * x * x);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int k = Math.max(-half, -i); k <= half && i + k < n; k++) {
                if (kernel[k + half] < 1e-4) continue;
                acc += kernel[k + half] * envelope[i + k];
            }
            out[i] = acc / std;
        }
        return out;
    }

    /** The last local maximum of the cumulative score above half the median of all its local maxima. */
    private static int lastBeat(double[] cumulative) {
        int n = cumulative.length;
        double[] maxima = new double[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            boolean left = i == 0 || cumulative[i] > cumulative[i - 1];
            boolean right = i == n - 1 || cumulative[i] >= cumulative[i + 1];
            if (left && right) maxima[count++] = cumulative[i];
        }
        double[] sorted = Arrays.copyOf(maxima, count);
        Arrays.sort(sorted);
        double median = count == 0 ? 0 : sorted[count / 2];
        for (int i = n - 1; i >= 0; i--) {
            boolean left = i == 0 || cumulative[i] > cumulative[i - 1];
            boolean right = i == n - 1 || cumulative[i] >= cumulative[i + 1];
            if (left && right && cumulative[i] >= 0.5 * median) return i;
        }
        return n - 1;
    }

    /** Drops leading and trailing beats whose (Hann-smoothed) local score is under half the RMS (librosa). */
    private static int[] trim(int[] beats, double[] local) {
        int n = beats.length;
        if (n == 0) return beats;
        double[] hann = {0.25, 0.75, 1, 0.75, 0.25}; // a short Hann window over neighbouring beats
        double[] smooth = new double[n];
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int k = -2; k <= 2; k++) if (i + k >= 0 && i + k < n) acc += hann[k + 2] * local[beats[i + k]];
            smooth[i] = acc;
        }
        double rms = 0;
        for (double v : smooth) rms += v * v;
        double threshold = 0.5 * Math.sqrt(rms / n);
        int first = 0, last = n - 1;
        while (first <= last && smooth[first] <= threshold) first++;
        while (last >= first && smooth[last] <= threshold) last--;
        return Arrays.copyOfRange(beats, first, last + 1);
    }
}
