package io.tonearm.analysis.rhythm;

import java.util.List;

/**
 * mir_eval-style event F-measure: an estimate matches at most one reference within ±tolerance. For sorted
 * events and a symmetric window, greedy two-pointer matching finds a maximum matching.
 */
final class EventScores {

    private EventScores() {
    }

    static double fMeasure(List<Double> reference, List<Double> estimate, double tolerance) {
        if (reference.isEmpty() && estimate.isEmpty()) return 1;
        if (reference.isEmpty() || estimate.isEmpty()) return 0;
        int i = 0, j = 0, hits = 0;
        while (i < reference.size() && j < estimate.size()) {
            double d = estimate.get(j) - reference.get(i);
            if (Math.abs(d) <= tolerance) {
                hits++;
                i++;
                j++;
            } else if (d < 0) {
                j++;
            } else {
                i++;
            }
        }
        double p = hits / (double) estimate.size(), r = hits / (double) reference.size();
        return hits == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Mean signed offset estimate − reference of the matched pairs (systematic latency). */
    static double meanOffset(List<Double> reference, List<Double> estimate, double tolerance) {
        int i = 0, j = 0, hits = 0;
        double sum = 0;
        while (i < reference.size() && j < estimate.size()) {
            double d = estimate.get(j) - reference.get(i);
            if (Math.abs(d) <= tolerance) {
                hits++;
                sum += d;
                i++;
                j++;
            } else if (d < 0) {
                j++;
            } else {
                i++;
            }
        }
        return hits == 0 ? Double.NaN : sum / hits;
    }
}
