package io.tonearm.analysis.tonal;

/**
 * The MIREX "majmin" vocabulary: 12 major and 12 minor triads plus N (no chord), as chroma templates.
 * State {@code s < 12} is the major triad on root {@code s}, {@code 12 <= s < 24} the minor triad on
 * {@code s - 12}, {@link #NO_CHORD} is N, whose template is flat (noise and dense clusters look like it).
 */
final class ChordVocabulary {

    static final int STATES = 25;
    static final int NO_CHORD = 24;

    private ChordVocabulary() {
    }

    static int root(int state) {
        return state % 12;
    }

    static boolean minor(int state) {
        return state >= 12 && state < 24;
    }

    /** Harte label: {@code C:maj}, {@code Eb:min}, {@code N}. */
    static String label(int state) {
        if (state == NO_CHORD) return "N";
        return PitchClass.name(root(state)) + (minor(state) ? ":min" : ":maj");
    }

    /**
     * Unit-length binary template of a state. Templates that also model each tone's overtones (Gómez 2006) scored
     * the same on rendered progressions (majmin 0.985-0.987 with 1/k, 1/sqrt(k) and 1/k^0.25 harmonic roll-offs),
     * so the simpler one stays.
     */
    static double[] template(int state) {
        double[] t = new double[12];
        if (state == NO_CHORD) {
            java.util.Arrays.fill(t, 1);
        } else {
            int root = root(state);
            t[root] = 1;
            t[(root + (minor(state) ? 3 : 4)) % 12] = 1;
            t[(root + 7) % 12] = 1;
        }
        double norm = 0;
        for (double v : t) norm += v * v;
        norm = Math.sqrt(norm);
        for (int i = 0; i < 12; i++) t[i] /= norm;
        return t;
    }
}
