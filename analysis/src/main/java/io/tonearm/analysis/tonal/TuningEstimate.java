package io.tonearm.analysis.tonal;

/**
 * The tuning of a recording from a histogram of spectral-peak deviations from the 440 Hz equal-tempered grid
 * (bin {@code i} = {@code i - 50} cents, energy-weighted), after Essentia's TuningFrequency: the histogram is
 * circular (+50 cents is -50 cents of the next semitone), so it is smoothed circularly, its peak taken, and
 * refined by the weighted circular mean of the ±15 cents around the peak.
 */
final class TuningEstimate {

    private static final int SMOOTH = 5;     // triangular kernel half-width, cents
    private static final int REFINE = 15;    // refinement half-width, cents
    /** Share of all weight the ±15 cents around the peak must hold (a flat histogram holds 0.31): else 440 Hz. */
    private static final double MIN_PEAK_SHARE = 0.5;

    private TuningEstimate() {
    }

    /** Deviation from 440 Hz in cents (-50..50); 0 when the histogram is empty or shows no clear peak. */
    static double cents(double[] histogram) {
        int n = histogram.length;
        double total = 0;
        for (double v : histogram) total += v;
        if (!(total > 0)) return 0;
        int best = 0;
        double bestValue = -1;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int d = -SMOOTH; d <= SMOOTH; d++) s += (SMOOTH + 1 - Math.abs(d)) * histogram[Math.floorMod(i + d, n)];
            if (s > bestValue) {
                bestValue = s;
                best = i;
            }
        }
        double sum = 0, weight = 0;
        for (int d = -REFINE; d <= REFINE; d++) {
            double w = histogram[Math.floorMod(best + d, n)];
            sum += w * (best + d + 0.5);   // bin centre, unwrapped around the peak
            weight += w;
        }
        if (weight < MIN_PEAK_SHARE * total) return 0;   // no consistent tuning (noise): assume 440 Hz
        double centre = sum / weight - 50;
        // back into -50..50 after unwrapping
        return centre - 100 * Math.floor((centre + 50) / 100);
    }
}
