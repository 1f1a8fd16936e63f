package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.testing.Matching;
import java.util.List;

/** mir_eval-style event F-measure: an estimate matches at most one reference within ±tolerance ({@link Matching}). */
final class EventScores {

    private EventScores() {
    }

    static double fMeasure(List<Double> reference, List<Double> estimate, double tolerance) {
        if (reference.isEmpty() && estimate.isEmpty()) return 1;
        if (reference.isEmpty() || estimate.isEmpty()) return 0;
        int hits = Matching.count(reference, estimate, tolerance);
        double p = hits / (double) estimate.size(), r = hits / (double) reference.size();
        return hits == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Mean signed offset estimate − reference of the matched pairs (systematic latency). */
    static double meanOffset(List<Double> reference, List<Double> estimate, double tolerance) {
        double[] offsets = Matching.matchedOffsets(reference, estimate, tolerance);
        double sum = 0;
        for (double d : offsets) sum += d;
        return offsets.length == 0 ? Double.NaN : sum / offsets.length;
    }
}
