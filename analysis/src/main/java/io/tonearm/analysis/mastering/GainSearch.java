package io.tonearm.analysis.mastering;

/**
 * Finds the static gain whose limited output reaches the target loudness. Output loudness rises with gain but,
 * once the limiter works hard, by much less than a dB per dB and unevenly (a quiet bed under loud transients
 * takes over), so a plain secant step overshoots. This is the safeguarded secant of root finding: secant steps
 * (slope clamped) until the target is bracketed, then false position inside the bracket.
 */
final class GainSearch {

    private final double target;
    private double next;
    private double lastGain = Double.NaN;
    private double lastLoudness;
    private double belowGain = Double.NaN;   // the bracket: the largest gain seen that stays under the target
    private double belowLoudness;
    private double aboveGain = Double.NaN;   // and the smallest that goes over it
    private double aboveLoudness;

    GainSearch(double target, double firstGain) {
        this.target = target;
        this.next = firstGain;
    }

    double next() {
        return next;
    }

    void observe(double gain, double loudness) {
        if (loudness < target && (Double.isNaN(belowGain) || gain > belowGain)) {
            belowGain = gain;
            belowLoudness = loudness;
        } else if (loudness >= target && (Double.isNaN(aboveGain) || gain < aboveGain)) {
            aboveGain = gain;
            aboveLoudness = loudness;
        }
        if (!Double.isNaN(belowGain) && !Double.isNaN(aboveGain)) {
            double t = (target - belowLoudness) / (aboveLoudness - belowLoudness);
            next = belowGain + Math.max(0.05, Math.min(0.95, t)) * (aboveGain - belowGain);
        } else {
            double slope = Double.isNaN(lastGain) || gain == lastGain ? 1
                    : Math.max(0.2, Math.min(1, (loudness - lastLoudness) / (gain - lastGain)));
            next = gain + (target - loudness) / slope;
        }
        lastGain = gain;
        lastLoudness = loudness;
    }
}
