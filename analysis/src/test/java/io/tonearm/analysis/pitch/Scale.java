package io.tonearm.analysis.pitch;

import java.util.ArrayList;
import java.util.List;

/** The C major scale C4…C5 as a melody of known notes, and how a contour scores against it. */
final class Scale {

    static final double[] C_MAJOR = {261.63, 293.66, 329.63, 349.23, 392.00, 440.00, 493.88, 523.25};
    static final double NOTE_SECONDS = 0.5;

    private Scale() {
    }

    /** Reference f0 at time t (NaN outside the melody). */
    static double truth(double t) {
        int k = (int) Math.floor(t / NOTE_SECONDS);
        return k < 0 || k >= C_MAJOR.length ? Double.NaN : C_MAJOR[k];
    }

    /** Median f0 of the voiced points inside note k, skipping 60 ms at each edge; NaN when none. */
    static double noteMedian(List<ContourPoint> contour, int k) {
        List<Double> v = new ArrayList<>();
        for (ContourPoint p : contour) {
            if (p.voiced() && p.t() >= k * NOTE_SECONDS + 0.06 && p.t() <= (k + 1) * NOTE_SECONDS - 0.06) v.add(p.f0Hz());
        }
        if (v.isEmpty()) return Double.NaN;
        v.sort(null);
        return v.get((v.size() - 1) / 2);
    }

    /**
     * Estimated start of note k (k ≥ 1): the first voiced point after the previous note's middle whose f0 is
     * nearer (in cents) to note k than to note k−1.
     */
    static double boundary(List<ContourPoint> contour, int k) {
        double from = (k - 0.5) * NOTE_SECONDS;
        for (ContourPoint p : contour) {
            if (p.t() < from || !p.voiced()) continue;
            double toPrev = Math.abs(NoteNames.cents(p.f0Hz(), C_MAJOR[k - 1]));
            double toNext = Math.abs(NoteNames.cents(p.f0Hz(), C_MAJOR[k]));
            if (toNext < toPrev) return p.t();
        }
        return Double.NaN;
    }

    /**
     * Raw pitch accuracy (MIREX, 50 cents) over the reference-voiced points, counting points the tracker
     * called unvoiced as misses (stricter than mir_eval, which scores the unvoiced frames' f0 guesses too).
     */
    static double rawPitchAccuracy(List<ContourPoint> contour) {
        int n = 0, hit = 0;
        for (ContourPoint p : contour) {
            double ref = truth(p.t());
            if (Double.isNaN(ref)) continue;
            n++;
            if (p.voiced() && Math.abs(NoteNames.cents(p.f0Hz(), ref)) <= 50) hit++;
        }
        return n == 0 ? 0 : hit / (double) n;
    }
}
