package io.tonearm.analysis.rhythm;

/**
 * How strongly an envelope pulses on a period's grid and on its subdivisions, phase-aligned in windows of a few
 * seconds (so slow tempo drift does not smear the grid). Used for the octave decision: a beat level is
 * "filled" at m subdivisions when every sub-pulse is nearly as strong as the pulse, i.e. the faster level is
 * the one being played (kick on 1, snare on 2: filled; hi-hat eighths between beats: not).
 */
final class PulseSalience {

    private static final double WINDOW_SECONDS = 8;

    private final double[] envelope;
    private final double fps;

    PulseSalience(double[] envelope, double fps) {
        this.envelope = envelope;
        this.fps = fps;
    }

    /** Longest period worth testing: a few pulses must fit. */
    double maxPeriod() {
        return envelope.length / 3.0;
    }

    /**
     * The weakest of the m−1 sub-pulses (at phase + j·period/m) relative to the pulse at the best phase, averaged
     * over windows: ≈1 when the subdivision is played as strongly as the pulse, ≈0 when nothing happens there.
     */
    double fill(double period, int m) {
        int n = envelope.length;
        int window = (int) Math.max(4 * period, WINDOW_SECONDS * fps);
        double onSum = 0, subSum = 0;
        for (int start = 0; start < n; start += window) {
            int end = Math.min(n, start + window);
            if (end - start < period) break;
            double bestOn = -1, bestPhase = 0;
            for (int phase = 0; phase < period; phase++) {
                double on = mean(start, end, phase, period, 0);
                if (on > bestOn) {
                    bestOn = on;
                    bestPhase = phase;
                }
            }
            double weakest = Double.MAX_VALUE;
            for (int j = 1; j < m; j++) weakest = Math.min(weakest, mean(start, end, bestPhase, period, j * period / m));
            onSum += bestOn;
            subSum += weakest;
        }
        return onSum > 0 ? subSum / onSum : 0;
    }

    /** Mean over the pulses start + phase + offset + k·period inside [start, end) of the envelope's max within ±1 frame. */
    private double mean(int start, int end, double phase, double period, double offset) {
        double sum = 0;
        int count = 0;
        for (double x = start + phase + offset; x < end; x += period) {
            int c = (int) Math.round(x);
            double v = 0;
            for (int i = Math.max(0, c - 1); i <= Math.min(envelope.length - 1, c + 1); i++) v = Math.max(v, envelope[i]);
            sum += v;
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }
}
