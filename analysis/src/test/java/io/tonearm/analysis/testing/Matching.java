package io.tonearm.analysis.testing;

import java.util.Arrays;
import java.util.List;

/**
 * mir_eval-style one-to-one matching of event times within ±tolerance: each reference and each estimate is matched
 * at most once. For sorted events and a symmetric window, greedy two-pointer matching in time order finds a maximum
 * matching (the size mir_eval's bipartite matching finds).
 */
public final class Matching {

    private Matching() {
    }

    /**
     * The signed offsets estimate − reference of the matched pairs, in time order; its length is the number of
     * matches. Both lists must be sorted ascending.
     */
    public static double[] matchedOffsets(List<Double> reference, List<Double> estimate, double tolerance) {
        double[] offsets = new double[Math.min(reference.size(), estimate.size())];
        int i = 0, j = 0, hits = 0;
        while (i < reference.size() && j < estimate.size()) {
            double d = estimate.get(j) - reference.get(i);
            if (Math.abs(d) <= tolerance) {
                offsets[hits++] = d;
                i++;
                j++;
            } else if (d < 0) {
                j++;
            } else {
                i++;
            }
        }
        return Arrays.copyOf(offsets, hits);
    }

    /** The number of one-to-one matches within ±tolerance; both lists sorted ascending. */
    public static int count(List<Double> reference, List<Double> estimate, double tolerance) {
        return matchedOffsets(reference, estimate, tolerance).length;
    }
}
