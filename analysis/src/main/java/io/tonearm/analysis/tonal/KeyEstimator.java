package io.tonearm.analysis.tonal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Krumhansl-Schmuckler key-finding method (Krumhansl 1990): the Pearson correlation of a whole-track pitch
 * class profile with a key profile rotated to each of the 12 tonics, in both modes; the best of the 24 wins.
 */
final class KeyEstimator {

    /** One candidate key and its correlation with the profile. */
    record Candidate(int tonic, boolean minor, double score) {
    }

    private KeyEstimator() {
    }

    /** All 24 keys, best first. */
    static List<Candidate> rank(double[] pitchClasses, KeyProfile profile) {
        List<Candidate> out = new ArrayList<>(24);
        for (int mode = 0; mode < 2; mode++) {
            boolean minor = mode == 1;
            for (int tonic = 0; tonic < 12; tonic++) {
                double[] p = new double[12];
                for (int pc = 0; pc < 12; pc++) p[pc] = profile.weight(minor, pc - tonic);
                out.add(new Candidate(tonic, minor, pearson(pitchClasses, p)));
            }
        }
        out.sort(Comparator.comparingDouble(Candidate::score).reversed());
        return out;
    }

    static double pearson(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
    }

    /** How a key relates to the estimated one: relative, dominant, subdominant, parallel or other. */
    static String relation(Candidate best, Candidate other) {
        int interval = Math.floorMod(other.tonic() - best.tonic(), 12);
        if (other.minor() != best.minor()) {
            if (interval == 0) return "parallel";
            if (!best.minor() && interval == 9 || best.minor() && interval == 3) return "relative";
            return "other";
        }
        if (interval == 7) return "dominant";
        if (interval == 5) return "subdominant";
        return "other";
    }
}
