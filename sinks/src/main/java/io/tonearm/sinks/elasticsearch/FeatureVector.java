package io.tonearm.sinks.elasticsearch;

/**
 * A hand-made, fixed-size description of a recording for kNN similarity (cosine) over the standard results;
 * version {@value #VERSION}, {@value #DIMENSIONS} dimensions. A learned embedding will replace it: documents carry
 * {@code features_version}, and a new version gets a new index (see {@link SearchIndex}).
 *
 * <p>Four groups, each scaled so that its norm is at most 1 and then weighted, so that the cosine of two vectors
 * is roughly a weighted mean of the groups' own similarities:
 * <ol>
 *   <li>key (dims 0–2, weight 1): the key's place on the circle of fifths, relative keys sharing a place (A minor
 *       sits with C major, as on the Camelot wheel), as {@code cos, sin}, and the mode as ±0.25 (small enough that a relative key stays nearer
 *       than one a fifth away). Neighbouring keys come out close (cosine ≈ 0.88), a tritone apart opposite.</li>
 *   <li>tempo (dims 3–5, weight 1): {@code log2(bpm)} folded to one octave as {@code cos, sin} of
 *       {@code 2π·frac(log2 bpm)}, so that the half/double-tempo ambiguity of beat trackers does not matter, plus
 *       {@code 0.5·clamp(log2(bpm/120), -1, 1)} so that genuinely slow and fast pieces still differ a little.</li>
 *   <li>loudness (dims 6–7, weight 0.5): integrated loudness as {@code clamp((LUFS+14)/10, -1, 1)} and loudness
 *       range as {@code clamp((LRA-8)/8, -1, 1)}, divided by √2 (−14 LUFS and 8 LU are typical of released
 *       music).</li>
 *   <li>chords (dims 8–31, weight 1): the 24-bin major/minor chord-time histogram, L2-normalised.</li>
 * </ol>
 * A group whose results are missing is all zeros; the whole vector is normalised to unit length. Null when no
 * group is present (Elasticsearch rejects an all-zero vector for cosine).
 */
public final class FeatureVector {
    /** Stored as {@code features_version}; bump with any change to the layout or the scaling. */
    public static final int VERSION = 1;
    public static final int DIMENSIONS = 32;

    private static final double KEY_WEIGHT = 1.0;
    private static final double TEMPO_WEIGHT = 1.0;
    private static final double LOUDNESS_WEIGHT = 0.5;
    private static final double CHORDS_WEIGHT = 1.0;
    private static final double MODE = 0.25;
    private static final double KEY_NORM = 1 / Math.sqrt(1 + MODE * MODE);
    private static final double INV_SQRT_1_25 = 1 / Math.sqrt(1.25);

    private FeatureVector() {
    }

    /** The vector of a document's analysis fields, or null when it has none of them yet. */
    public static float[] of(SearchDocument doc) {
        return of(doc.key(), doc.mode(), doc.tempo(), doc.integratedLufs(), doc.loudnessRange(), doc.chordHistogram());
    }

    static float[] of(String key, String mode, Double tempo, Double integratedLufs, Double loudnessRange,
                      float[] chordHistogram) {
        double[] v = new double[DIMENSIONS];
        boolean any = false;
        int tonic = PitchClass.of(key);
        boolean minor = "minor".equalsIgnoreCase(mode);
        if (tonic >= 0 && (minor || "major".equalsIgnoreCase(mode))) {
            int relativeMajor = minor ? (tonic + 3) % 12 : tonic;
            double angle = 2 * Math.PI * ((relativeMajor * 7) % 12) / 12.0;
            double w = KEY_WEIGHT * KEY_NORM;
            v[0] = w * Math.cos(angle);
            v[1] = w * Math.sin(angle);
            v[2] = w * (minor ? -MODE : MODE);
            any = true;
        }
        if (tempo != null && tempo > 0 && Double.isFinite(tempo)) {
            double octaves = Math.log(tempo) / Math.log(2);
            double angle = 2 * Math.PI * (octaves - Math.floor(octaves));
            double w = TEMPO_WEIGHT * INV_SQRT_1_25;
            v[3] = w * Math.cos(angle);
            v[4] = w * Math.sin(angle);
            v[5] = w * 0.5 * clamp(Math.log(tempo / 120.0) / Math.log(2));
            any = true;
        }
        if (finite(integratedLufs) || finite(loudnessRange)) {
            double w = LOUDNESS_WEIGHT / Math.sqrt(2);
            v[6] = finite(integratedLufs) ? w * clamp((integratedLufs + 14) / 10) : 0;
            v[7] = finite(loudnessRange) ? w * clamp((loudnessRange - 8) / 8) : 0;
            any |= v[6] != 0 || v[7] != 0;
        }
        if (chordHistogram != null && chordHistogram.length == ChordHistogram.BINS) {
            double norm = 0;
            for (float b : chordHistogram) {
                norm += b * b;
            }
            norm = Math.sqrt(norm);
            if (norm > 0) {
                for (int i = 0; i < ChordHistogram.BINS; i++) {
                    v[8 + i] = CHORDS_WEIGHT * chordHistogram[i] / norm;
                }
                any = true;
            }
        }
        return any ? unit(v) : null;
    }

    /** Cosine similarity of two vectors of this version (for tests and diagnostics). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static float[] unit(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return null; // e.g. exactly -14 LUFS and 8 LU alone
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    private static boolean finite(Double x) {
        return x != null && Double.isFinite(x);
    }

    private static double clamp(double x) {
        return Math.max(-1, Math.min(1, x));
    }
}
