package io.tonearm.analysis.rhythm;

import java.util.Arrays;

/**
 * Peak picking on an onset envelope, librosa's {@code util.peak_pick} (after Böck, Krebs &amp; Schedl, "Evaluating
 * the online capabilities of onset detection methods", ISMIR 2012): frame n is a peak when it is the maximum of
 * {@code [n - preMax, n + postMax]}, exceeds the mean of {@code [n - preAvg, n + postAvg]} by {@code delta}, and
 * lies more than {@code minGap} frames after the previous peak. Reusable for any envelope (novelty curves too).
 */
public record PeakPicker(int preMax, int postMax, int preAvg, int postAvg, double delta, int minGap) {

    /** Indices of the peaks of {@code x}. */
    public int[] pick(float[] x) {
        int n = x.length;
        int[] peaks = new int[n];
        int count = 0;
        int last = Integer.MIN_VALUE / 2;
        // running sum for the moving average
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + x[i];
        for (int i = 0; i < n; i++) {
            int a = Math.max(0, i - preMax), b = Math.min(n - 1, i + postMax);
            boolean isMax = true;
            for (int j = a; j <= b && isMax; j++) isMax = x[j] <= x[i];
            if (!isMax) continue;
            int ma = Math.max(0, i - preAvg), mb = Math.min(n - 1, i + postAvg);
            double mean = (prefix[mb + 1] - prefix[ma]) / (mb - ma + 1);
            if (x[i] < mean + delta) continue;
            if (i - last <= minGap) continue;
            peaks[count++] = i;
            last = i;
        }
        return Arrays.copyOf(peaks, count);
    }

    /** Min-max normalization to [0, 1] (librosa's onset_detect does this before picking); all zeros if flat. */
    public static float[] normalized(float[] x) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[x.length];
        if (!(max > min)) return out;
        for (int i = 0; i < x.length; i++) out[i] = (x[i] - min) / (max - min);
        return out;
    }
}
