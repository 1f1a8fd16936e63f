package io.tonearm.analysis.loudness;

import java.util.Arrays;

/**
 * The channel-weighted mean square of the K-weighted signal over consecutive 100 ms steps: the one compact
 * feature every BS.1770 / Tech 3342 statistic is computed from (a 400 ms gating block is the mean of 4 steps,
 * a 3 s short-term window the mean of 30). One double per 100 ms: 36,000 for an hour.
 */
final class BlockEnergies {

    private double[] energies = new double[1024];
    private int size;

    void add(double energy) {
        if (size == energies.length) energies = Arrays.copyOf(energies, size * 2);
        energies[size++] = energy;
    }

    int size() {
        return size;
    }

    /**
     * Mean energies of windows of {@code steps} consecutive steps, one window per step (75 % overlap for
     * 400 ms blocks, 2.9 s overlap for 3 s windows). Empty when the signal is shorter than one window.
     */
    double[] windows(int steps) {
        int n = size - steps + 1;
        if (n <= 0) return new double[0];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < steps; k++) sum += energies[i + k];
            out[i] = sum / steps;
        }
        return out;
    }
}
