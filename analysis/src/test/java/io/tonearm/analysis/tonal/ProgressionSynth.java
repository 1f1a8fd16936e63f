package io.tonearm.analysis.tonal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Renders chord progressions with known truth: each chord is a root-position triad around G3..F#4 plus the root an
 * octave below as bass; every note has 6 harmonics of amplitude 1/k and a struck envelope (10 ms attack,
 * exponential decay towards a sustain level, 20 ms release at the chord change), in equal temperament on a given A4.
 */
final class ProgressionSynth {

    static final int RATE = 22050;

    /** A chord (root pitch class 0..11, C = 0) held for {@code seconds}; {@link #rest} is silence. */
    record Chord(int root, boolean minor, double seconds) {
        static Chord rest(double seconds) {
            return new Chord(-1, false, seconds);
        }

        boolean silent() {
            return root < 0;
        }

        /** Harte label, as the analyzer spells it. */
        String label() {
            return silent() ? "N" : PitchClass.name(root) + (minor ? ":min" : ":maj");
        }
    }

    /** A chord in a key: {@code degree} in semitones above the tonic. */
    static Chord chord(int tonic, int degree, boolean minor, double seconds) {
        return new Chord(Math.floorMod(tonic + degree, 12), minor, seconds);
    }

    /** I–IV–V–I–vi–ii–V–I, 2.5 s each (20 s). */
    static List<Chord> majorCadences(int tonic) {
        double d = 2.5;
        return List.of(chord(tonic, 0, false, d), chord(tonic, 5, false, d), chord(tonic, 7, false, d), chord(tonic, 0, false, d),
                chord(tonic, 9, true, d), chord(tonic, 2, true, d), chord(tonic, 7, false, d), chord(tonic, 0, false, d));
    }

    /** i–VI–III–VII–i–iv–V–i with the harmonic-minor (major) V, 2.5 s each (20 s). */
    static List<Chord> minorCadences(int tonic) {
        double d = 2.5;
        return List.of(chord(tonic, 0, true, d), chord(tonic, 8, false, d), chord(tonic, 3, false, d), chord(tonic, 10, false, d),
                chord(tonic, 0, true, d), chord(tonic, 5, true, d), chord(tonic, 7, false, d), chord(tonic, 0, true, d));
    }

    static float[] render(List<Chord> chords, double a4) {
        return render(chords, a4, 1.0);
    }

    /** As {@link #render(List, double)} with harmonic amplitudes 1/k^{@code rolloff} (0.5 = a brighter timbre). */
    static float[] render(List<Chord> chords, double a4, double rolloff) {
        double total = chords.stream().mapToDouble(Chord::seconds).sum();
        float[] out = new float[(int) Math.round(total * RATE)];
        Random random = new Random(7);
        int at = 0;
        for (Chord c : chords) {
            int n = (int) Math.round(c.seconds() * RATE);
            if (!c.silent()) {
                int root = 55 + Math.floorMod(c.root() - 7, 12);           // MIDI G3..F#4
                int[] notes = {root - 12, root, root + (c.minor() ? 3 : 4), root + 7};
                double[] gains = {0.12, 0.09, 0.09, 0.09};
                for (int k = 0; k < notes.length; k++) addNote(out, at, n, midiHz(notes[k], a4), gains[k], rolloff, random);
            }
            at += n;
        }
        return out;
    }

    static double midiHz(int midi, double a4) {
        return a4 * Math.pow(2, (midi - 69) / 12.0);
    }

    /** Adds one struck note, harmonics computed by phasor rotation (exact enough, and cheap). */
    private static void addNote(float[] out, int start, int length, double f0, double gain, double rolloff, Random random) {
        int attack = RATE / 100, release = RATE / 50;
        for (int h = 1; h <= 6; h++) {
            double f = f0 * h;
            if (f >= RATE / 2.0) break;
            double step = 2 * Math.PI * f / RATE, cs = Math.cos(step), sn = Math.sin(step);
            double phase = random.nextDouble() * 2 * Math.PI;
            double re = Math.cos(phase), im = Math.sin(phase);
            double amplitude = gain / Math.pow(h, rolloff);
            double decayPerSample = Math.exp(-1.0 / (0.6 * RATE));         // 0.6 s time constant
            double decay = 1;
            for (int i = 0; i < length && start + i < out.length; i++) {
                double env = 0.35 + 0.65 * decay;
                if (i < attack) env *= i / (double) attack;
                if (i > length - release) env *= (length - i) / (double) release;
                out[start + i] += (float) (amplitude * env * im);
                double r = re * cs - im * sn;
                im = re * sn + im * cs;
                re = r;
                decay *= decayPerSample;
            }
        }
    }

    /** Chord boundaries (seconds) between consecutive chords. */
    static List<Double> boundaries(List<Chord> chords) {
        List<Double> out = new ArrayList<>();
        double t = 0;
        for (int i = 0; i < chords.size() - 1; i++) {
            t += chords.get(i).seconds();
            out.add(t);
        }
        return out;
    }
}
