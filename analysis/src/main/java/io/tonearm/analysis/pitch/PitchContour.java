package io.tonearm.analysis.pitch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frame-wise estimates of one recording (two floats per hop, so an hour at 10 ms is under 3 MB), then the
 * light smoothing pitch trackers apply before reporting (CREPE and pYIN users alike): voiced runs shorter than
 * {@value #MIN_VOICED_SECONDS} s are dropped as spurious, and a running median over about
 * ±{@value #MEDIAN_HALF_SECONDS} s of voiced neighbours removes isolated octave errors while keeping note steps
 * sharp (a median preserves edges).
 */
final class PitchContour {

    static final double MIN_VOICED_SECONDS = 0.05;
    static final double MEDIAN_HALF_SECONDS = 0.02;

    private final double hopSeconds;
    private float[] f0 = new float[1024];          // NaN = unvoiced
    private float[] confidence = new float[1024];
    private int size;

    PitchContour(double hopSeconds) {
        this.hopSeconds = hopSeconds;
    }

    /** Appends the next frame; {@code hz} NaN when the frame is unvoiced. */
    void add(double hz, double conf) {
        if (size == f0.length) {
            f0 = Arrays.copyOf(f0, size * 2);
            confidence = Arrays.copyOf(confidence, size * 2);
        }
        f0[size] = (float) hz;
        confidence[size] = (float) conf;
        size++;
    }

    /** Drops short voiced runs, then median-filters log-f0 over voiced neighbours; returns the smoothed f0. */
    double[] smoothed() {
        double[] hz = new double[size];
        for (int i = 0; i < size; i++) hz[i] = f0[i];
        int minRun = (int) Math.ceil(MIN_VOICED_SECONDS / hopSeconds - 1e-9);
        for (int i = 0; i < size; ) {
            if (Double.isNaN(hz[i])) {
                i++;
                continue;
            }
            int j = i;
            while (j < size && !Double.isNaN(hz[j])) j++;
            if (j - i < minRun) Arrays.fill(hz, i, j, Double.NaN);
            i = j;
        }
        int half = Math.max(1, (int) Math.round(MEDIAN_HALF_SECONDS / hopSeconds));
        double[] out = new double[size];
        double[] window = new double[2 * half + 1];
        for (int i = 0; i < size; i++) {
            if (Double.isNaN(hz[i])) {
                out[i] = Double.NaN;
                continue;
            }
            int h = Math.min(half, Math.min(i, size - 1 - i));   // symmetric at the ends, so the last point stays itself
            int n = 0;
            for (int k = i - h; k <= i + h; k++) {
                if (!Double.isNaN(hz[k])) window[n++] = hz[k];
            }
            Arrays.sort(window, 0, n);
            // even count: the lower middle keeps an actual estimate rather than a mean of two notes
            out[i] = window[(n - 1) / 2];
        }
        return out;
    }

    PitchResult result(String method) {
        double[] hz = smoothed();
        List<ContourPoint> points = new ArrayList<>(size);
        double[] voiced = new double[size];
        int n = 0;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            boolean v = !Double.isNaN(hz[i]);
            if (v) {
                voiced[n++] = hz[i];
                sum += hz[i];
            }
            points.add(new ContourPoint(round(i * hopSeconds, 3), v ? round(hz[i], 2) : null, round(confidence[i], 2)));
        }
        double voicedFraction = size == 0 ? 0 : round((double) n / size, 3);
        if (n == 0) return new PitchResult(method, hopSeconds, points, null, null, null, null, null, voicedFraction, null, null);
        Arrays.sort(voiced, 0, n);
        double median = n % 2 == 1 ? voiced[n / 2] : 0.5 * (voiced[n / 2 - 1] + voiced[n / 2]);
        double min = voiced[0], max = voiced[n - 1];
        double midi = NoteNames.midi(median);
        return new PitchResult(method, hopSeconds, points, round(median, 2), round(sum / n, 2), round(min, 2), round(max, 2),
                round(12 * Math.log(max / min) / Math.log(2), 2), voicedFraction, round(midi, 2), NoteNames.name(midi));
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
