package io.tonearm.analysis.rhythm;

/**
 * Bar level from beat-synchronous accents: each beat's accent is the low-frequency onset strength (kick drum,
 * bass notes) around it. For 3 and 4 beats per bar, the best bar phase is the one whose beats are most accented
 * relative to the others (Goto's and Klapuri's bar-accent idea, reduced to its simplest form); the meter whose
 * best phase has the larger contrast wins, 4 when neither is clear. Needs at least two bars.
 */
final class MeterEstimator {

    /**
     * @param beatsPerBar   3 or 4
     * @param firstDownbeat index of the first beat that starts a bar
     * @param contrast      accent contrast of the chosen bar grid (0 = none)
     */
    record Meter(int beatsPerBar, int firstDownbeat, double contrast) {
    }

    private MeterEstimator() {
    }

    static Meter estimate(int[] beats, float[] lowEnvelope) {
        double[] accent = new double[beats.length];
        for (int i = 0; i < beats.length; i++) {
            double v = 0;
            for (int f = Math.max(0, beats[i] - 2); f <= Math.min(lowEnvelope.length - 1, beats[i] + 2); f++) v = Math.max(v, lowEnvelope[f]);
            accent[i] = v;
        }
        Meter four = best(accent, 4), three = best(accent, 3);
        if (beats.length < 6) return four;
        return three.contrast() > four.contrast() ? three : four;
    }

    /** The phase of an m-beat bar whose beats carry the most accent, and its contrast (on − off) / (on + off). */
    private static Meter best(double[] accent, int m) {
        Meter best = new Meter(m, 0, 0);
        if (accent.length < 2 * m) return best;
        for (int phase = 0; phase < m; phase++) {
            double on = 0, off = 0;
            int nOn = 0, nOff = 0;
            for (int i = 0; i < accent.length; i++) {
                if ((i - phase) % m == 0) {
                    on += accent[i];
                    nOn++;
                } else {
                    off += accent[i];
                    nOff++;
                }
            }
            on /= nOn;
            off /= nOff;
            double contrast = on + off > 0 ? (on - off) / (on + off) : 0;
            if (contrast > best.contrast()) best = new Meter(m, phase, contrast);
        }
        return best;
    }
}
