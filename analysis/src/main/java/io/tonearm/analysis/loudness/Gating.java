package io.tonearm.analysis.loudness;

import java.util.Arrays;

/**
 * The statistics of ITU-R BS.1770-4 and EBU Tech 3342 over block energies (channel-weighted mean squares):
 * gated integrated loudness (absolute gate -70 LUFS, relative gate -10 LU) and loudness range (absolute gate
 * -70 LUFS, relative gate -20 LU, 95th minus 10th percentile, nearest rank as in libebur128).
 */
final class Gating {

    static final double ABSOLUTE_GATE_LUFS = -70.0;
    static final double INTEGRATED_RELATIVE_GATE_LU = -10.0;
    static final double RANGE_RELATIVE_GATE_LU = -20.0;

    /** Integrated loudness and what the gate let through; loudness and threshold are null when nothing passed. */
    record Integrated(Double lufs, Double relativeThresholdLufs, int gatedBlocks) {
    }

    /** Loudness range and its two percentiles; all null when no short-term window passed the gates. */
    record Range(Double lu, Double lowLufs, Double highLufs) {
    }

    private Gating() {
    }

    /** BS.1770-4 loudness of a mean square: -0.691 + 10 log10(z). */
    static double loudness(double energy) {
        return -0.691 + 10.0 * Math.log10(energy);
    }

    static double energy(double lufs) {
        return Math.pow(10.0, (lufs + 0.691) / 10.0);
    }

    static Integrated integrated(double[] blocks) {
        double absolute = energy(ABSOLUTE_GATE_LUFS);
        double sum = 0;
        int count = 0;
        for (double z : blocks) {
            if (z > absolute) {
                sum += z;
                count++;
            }
        }
        if (count == 0) return new Integrated(null, null, 0);
        double relative = sum / count * Math.pow(10.0, INTEGRATED_RELATIVE_GATE_LU / 10.0);
        double gatedSum = 0;
        int gated = 0;
        for (double z : blocks) {
            if (z > absolute && z > relative) {
                gatedSum += z;
                gated++;
            }
        }
        // gated == 0 cannot happen (the loudest block is always above the mean - 10 LU), but stay total
        return new Integrated(gated == 0 ? null : loudness(gatedSum / gated), loudness(relative), gated);
    }

    static Range range(double[] shortTerm) {
        double absolute = energy(ABSOLUTE_GATE_LUFS);
        double[] passed = Arrays.stream(shortTerm).filter(z -> z > absolute).sorted().toArray();
        if (passed.length == 0) return new Range(null, null, null);
        double relative = Arrays.stream(passed).average().orElseThrow() * Math.pow(10.0, RANGE_RELATIVE_GATE_LU / 10.0);
        double[] gated = Arrays.stream(passed).filter(z -> z > relative).toArray();
        if (gated.length == 0) return new Range(null, null, null);
        double low = loudness(gated[(int) ((gated.length - 1) * 0.10 + 0.5)]);
        double high = loudness(gated[(int) ((gated.length - 1) * 0.95 + 0.5)]);
        return new Range(high - low, low, high);
    }

    /** Loudness of an energy, or null when it is below the absolute gate (silence) or absent (negative). */
    static Double gatedLoudness(double energy) {
        return energy > energy(ABSOLUTE_GATE_LUFS) ? loudness(energy) : null;
    }
}
