package io.tonearm.analysis.structure;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Renders songs with a known structure: each section style is a chord progression with its own voicing timbre
 * (harmonic roll-off), tempo, and drum pattern; a repeated section is re-rendered (new random phases, drum noise and
 * humanised timing), never copied, and a variant (B') adds a melody over the same progression.
 */
final class SongSynth {

    static final int RATE = 22050;

    /** A chord: root pitch class and minor flag. */
    record Chord(int root, boolean minor) {
    }

    /**
     * A section style.
     *
     * @param rolloff harmonic amplitudes 1/k^rolloff (small = bright)
     * @param oddOnly only odd harmonics (a hollow, clarinet-like timbre)
     * @param drums   0 none, 1 kick + hat, 2 kick + snare + busy hats
     */
    record Style(List<Chord> progression, double bpm, int beatsPerChord, double rolloff, boolean oddOnly, int drums, int octave) {
    }

    /** A section of the song: a style played for {@code seconds}; {@code melody} adds a lead line (a variant). */
    record Part(String label, Style style, double seconds, boolean melody) {
    }

    static final Style VERSE = new Style(List.of(new Chord(0, false), new Chord(9, true), new Chord(5, false), new Chord(7, false)),
            100, 2, 1.0, false, 1, 4);
    static final Style CHORUS = new Style(List.of(new Chord(4, false), new Chord(1, true), new Chord(9, false), new Chord(11, false)),
            124, 2, 0.5, false, 2, 4);
    static final Style BRIDGE = new Style(List.of(new Chord(2, true), new Chord(10, false), new Chord(7, true), new Chord(9, false)),
            84, 4, 1.3, true, 0, 3);
    static final Style INTRO = new Style(List.of(new Chord(0, false), new Chord(5, false)), 100, 4, 2.0, false, 0, 3);

    /** A B A B' C A: verse, chorus, verse, chorus with melody, bridge, verse (148 s). */
    static List<Part> abab2ca() {
        return List.of(new Part("A", VERSE, 24, false), new Part("B", CHORUS, 23.2, false), new Part("A", VERSE, 24, false),
                new Part("B", CHORUS, 23.2, true), new Part("C", BRIDGE, 28.6, false), new Part("A", VERSE, 24, false));
    }

    /** Intro, verse, chorus, verse, chorus, bridge, chorus, chorus, outro (= intro): 9 parts, 190 s. */
    static List<Part> popForm() {
        return List.of(new Part("I", INTRO, 12, false), new Part("A", VERSE, 19.2, false), new Part("B", CHORUS, 15.5, false),
                new Part("A", VERSE, 19.2, false), new Part("B", CHORUS, 15.5, true), new Part("C", BRIDGE, 22.9, false),
                new Part("B", CHORUS, 15.5, false), new Part("B", CHORUS, 15.5, true), new Part("I", INTRO, 19.2, false));
    }

    static double duration(List<Part> parts) {
        return parts.stream().mapToDouble(Part::seconds).sum();
    }

    /** Boundaries between parts in seconds (interior only). */
    static List<Double> boundaries(List<Part> parts) {
        List<Double> out = new ArrayList<>();
        double t = 0;
        for (int i = 0; i + 1 < parts.size(); i++) out.add(t += parts.get(i).seconds());
        return out;
    }

    static float[] render(List<Part> parts, long seed) {
        float[] out = new float[(int) Math.round(duration(parts) * RATE)];
        Random random = new Random(seed);
        double t0 = 0;
        for (Part p : parts) {
            renderPart(out, p, t0, random);
            t0 += p.seconds();
        }
        float peak = 0;
        for (float v : out) peak = Math.max(peak, Math.abs(v));
        for (int i = 0; i < out.length; i++) out[i] *= 0.8f / peak;
        return out;
    }

    private static void renderPart(float[] out, Part part, double t0, Random random) {
        Style s = part.style();
        double beat = 60 / s.bpm();
        int beats = (int) Math.floor(part.seconds() / beat + 1e-9);
        for (int b = 0; b < beats; b++) {
            double t = t0 + b * beat + random.nextGaussian() * 0.004;
            if (b % s.beatsPerChord() == 0) {
                Chord c = s.progression().get((b / s.beatsPerChord()) % s.progression().size());
                double length = Math.min(s.beatsPerChord() * beat, t0 + part.seconds() - t);
                int root = 12 * (s.octave() + 1) + c.root();
                int[] tones = {root - 12, root, root + (c.minor() ? 3 : 4), root + 7};
                for (int m : tones) note(out, t, length, m, 0.25, s, random);
            }
            if (part.melody()) {
                Chord c = s.progression().get((b / s.beatsPerChord()) % s.progression().size());
                int[] steps = {0, c.minor() ? 3 : 4, 7, 12};
                note(out, t, beat * 0.9, 12 * (s.octave() + 2) + c.root() + steps[random.nextInt(4)], 0.3, s, random);
            }
            drums(out, t, beat, b, s.drums(), random);
        }
    }

    private static void note(float[] out, double start, double length, int midi, double gain, Style s, Random random) {
        double f0 = 440 * Math.pow(2, (midi - 69) / 12.0);
        int from = (int) Math.round(start * RATE), n = (int) Math.round(length * RATE);
        int harmonics = (int) Math.min(12, Math.floor(9000 / f0));
        for (int k = 1; k <= harmonics; k++) {
            if (s.oddOnly() && k % 2 == 0) continue;
            double a = gain / Math.pow(k, s.rolloff()), w = 2 * Math.PI * f0 * k / RATE, phase = random.nextDouble() * 2 * Math.PI;
            double decay = Math.exp(-(1 + 0.4 * k) / (1.5 * RATE));
            double env = a;
            // sin(phase + w·i) by the two-term recurrence: a sine per harmonic per sample made rendering the slow part
            double s1 = Math.sin(phase - w), s0 = Math.sin(phase - 2 * w), k2 = 2 * Math.cos(w);
            int attack = (int) (0.01 * RATE), release = (int) (0.02 * RATE);
            for (int i = 0; i < n && from + i < out.length; i++) {
                double sine = k2 * s1 - s0;
                s0 = s1;
                s1 = sine;
                if (from + i < 0) continue;
                double shape = i < attack ? i / (double) attack : n - i < release ? (n - i) / (double) release : 1;
                out[from + i] += (float) (env * shape * sine);
                env *= decay;
            }
        }
    }

    private static void drums(float[] out, double t, double beat, int b, int kind, Random random) {
        if (kind == 0) return;
        int at = (int) Math.round(t * RATE);
        if (b % 2 == 0 || kind == 2) hit(out, at, 0.12, 60, 0.6, random, false);             // kick
        if (kind == 2 && b % 2 == 1) hit(out, at, 0.15, 0, 0.35, random, true);              // snare
        int hats = kind == 2 ? 4 : 2;
        for (int h = 0; h < hats; h++) hit(out, at + (int) Math.round(h * beat / hats * RATE), 0.03, 0, 0.08, random, true);
    }

    private static void hit(float[] out, int at, double seconds, double hz, double gain, Random random, boolean noise) {
        int n = (int) (seconds * RATE);
        double prev = 0;
        for (int i = 0; i < n && at + i < out.length; i++) {
            if (at + i < 0) continue;
            double env = gain * Math.exp(-5.0 * i / n);
            double v;
            if (noise) {
                double x = random.nextGaussian();
                v = x - prev;   // first difference: a brighter, hat-like noise
                prev = x;
            } else {
                v = Math.sin(2 * Math.PI * hz * (1 + 2 * Math.exp(-30.0 * i / n)) * i / RATE);
            }
            out[at + i] += (float) (env * v);
        }
    }
}
