package io.tonearm.analysis.loudness;

/**
 * The loudest 400 ms (momentary) and 3 s (short-term) windows, updated at every sub-step (10 ms when the rate is a
 * multiple of 100 Hz) rather than every 100 ms: EBU Tech 3341 cases 13-14 expect the maximum momentary loudness of
 * a 400 ms burst within 0.1 LU wherever the burst starts, which a 10 Hz meter misses by up to 0.6 LU. Holds only
 * the last 3 s of sub-step energies.
 */
final class WindowMaxima {

    private final int momentarySteps;
    private final int shortTermSteps;
    private final double[] ring;
    private long count;
    private double maxMomentary = -1;
    private double maxShortTerm = -1;

    WindowMaxima(int subStepsPer100ms) {
        this.momentarySteps = 4 * subStepsPer100ms;
        this.shortTermSteps = 30 * subStepsPer100ms;
        this.ring = new double[shortTermSteps];
    }

    void add(double energy) {
        ring[(int) (count % ring.length)] = energy;
        count++;
        if (count >= momentarySteps) maxMomentary = Math.max(maxMomentary, meanOfLast(momentarySteps));
        if (count >= shortTermSteps) maxShortTerm = Math.max(maxShortTerm, meanOfLast(shortTermSteps));
    }

    private double meanOfLast(int steps) {
        double sum = 0;
        for (long i = count - steps; i < count; i++) sum += ring[(int) (i % ring.length)];
        return sum / steps;
    }

    /** Energy of the loudest full 400 ms window, or -1 when the signal is shorter than one. */
    double maxMomentary() {
        return maxMomentary;
    }

    /** Energy of the loudest full 3 s window, or -1 when the signal is shorter than one. */
    double maxShortTerm() {
        return maxShortTerm;
    }
}
