package io.tonearm.analysis.fingerprint;

import java.util.Random;

/**
 * Distinct synthetic tracks from a seed: tempo, key, mode, chord progression, melody, bass line, drum pattern and
 * timbres (drum sounds included: two songs rarely share the very same kick) all drawn from the seed, so every seed is its own "recording". Mono at 22050 Hz, peak 0.9 (so +6 dB clips, as a loud master would).
 */
public final class CatalogSynth {

    public static final int RATE = 22050;
    private static final int TABLE = 4096;
    private static final float[] SINE = new float[TABLE];
    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] MINOR = {0, 2, 3, 5, 7, 8, 10};

    static {
        for (int i = 0; i < TABLE; i++) SINE[i] = (float) Math.sin(2 * Math.PI * i / TABLE);
    }

    private CatalogSynth() {
    }

    public static float[] track(long seed, double seconds) {
        Random rng = new Random(seed);
        int n = (int) (seconds * RATE);
        float[] out = new float[n];
        double beat = 60.0 / (70 + rng.nextInt(90));
        int root = 45 + rng.nextInt(12);
        int[] scale = rng.nextBoolean() ? MAJOR : MINOR;
        int[] progression = new int[4];
        for (int i = 0; i < 4; i++) progression[i] = i == 0 ? 0 : rng.nextInt(7);
        double[] padTimbre = timbre(rng, 3 + rng.nextInt(4));
        double[] leadTimbre = timbre(rng, 2 + rng.nextInt(6));
        double[] bassTimbre = timbre(rng, 2 + rng.nextInt(3));
        double leadDecay = 2 + rng.nextDouble() * 8;
        int[] kick = pattern(rng, 0.3, true);
        int[] snare = pattern(rng, 0.2, false);
        int[] hat = pattern(rng, 0.6, false);
        double kickHz = 40 + rng.nextDouble() * 30;
        double kickSweep = 60 + rng.nextDouble() * 80;
        double kickDecay = 8 + rng.nextDouble() * 10;
        double snareDecay = 0.05 + rng.nextDouble() * 0.06;
        double hatDecay = 0.015 + rng.nextDouble() * 0.03;
        double bar = 4 * beat;
        int bars = (int) Math.ceil(seconds / bar);
        int melody = 7 + rng.nextInt(7); // scale step of the lead, around an octave above the chords
        for (int b = 0; b < bars; b++) {
            int degree = progression[b % 4];
            double t0 = b * bar;
            for (int v = 0; v < 3; v++) {
                note(out, t0, bar, midi(root, scale, degree + 2 * v) + 12, 0.07, padTimbre, 1.0);
            }
            note(out, t0, bar * 0.9, midi(root, scale, degree) - 12, 0.12, bassTimbre, 2.0);
            for (int step = 0; step < 8; step++) {
                if (rng.nextDouble() < 0.3) continue;
                melody = Math.max(4, Math.min(18, melody + rng.nextInt(5) - 2));
                double len = beat / 2 * (1 + rng.nextInt(2));
                note(out, t0 + step * beat / 2, len, midi(root, scale, melody) + 12, 0.1, leadTimbre, leadDecay);
            }
            for (int s = 0; s < 16; s++) {
                double t = t0 + s * beat / 4;
                if (kick[s] == 1) kick(out, t, kickHz, kickSweep, kickDecay);
                if (snare[s] == 1) noiseHit(out, t, 0.18, snareDecay, false, rng);
                if (hat[s] == 1) noiseHit(out, t, 0.06, hatDecay, true, rng);
            }
        }
        float peak = 1e-9f;
        for (float x : out) peak = Math.max(peak, Math.abs(x));
        for (int i = 0; i < n; i++) out[i] *= 0.9f / peak;
        return out;
    }

    private static double[] timbre(Random rng, int harmonics) {
        double[] a = new double[harmonics];
        double rolloff = 0.4 + rng.nextDouble() * 0.5;
        for (int h = 0; h < harmonics; h++) a[h] = Math.pow(rolloff, h) * (0.5 + rng.nextDouble());
        return a;
    }

    private static int[] pattern(Random rng, double p, boolean downbeat) {
        int[] steps = new int[16];
        for (int s = 0; s < 16; s++) steps[s] = rng.nextDouble() < p ? 1 : 0;
        if (downbeat) steps[0] = 1;
        return steps;
    }

    private static double midi(int root, int[] scale, int step) {
        int octave = Math.floorDiv(step, 7);
        return root + 12 * octave + scale[Math.floorMod(step, 7)];
    }

    private static void note(float[] out, double start, double length, double midi, double gain, double[] timbre, double decay) {
        double f0 = 440 * Math.pow(2, (midi - 69) / 12);
        int a = (int) (start * RATE);
        int len = Math.min(out.length - a, (int) (length * RATE));
        float[] env = new float[Math.max(0, len)];
        double decayPerSample = Math.exp(-decay / RATE);
        double level = 1;
        for (int i = 0; i < len; i++) {
            env[i] = (float) (Math.min(1, i * 200.0 / RATE) * level * Math.min(1, (len - i) / (0.01 * RATE)));
            level *= decayPerSample;
        }
        for (int h = 0; h < timbre.length; h++) {
            double f = f0 * (h + 1);
            if (f > RATE / 2.5) break;
            long inc = Math.round(f / RATE * TABLE * 65536);
            long phase = 0;
            float g = (float) (gain * timbre[h]);
            for (int i = 0; i < len; i++) {
                out[a + i] += g * env[i] * SINE[(int) (phase >>> 16) & (TABLE - 1)];
                phase += inc;
            }
        }
    }

    private static void kick(float[] out, double start, double hz, double sweep, double decay) {
        int a = (int) (start * RATE);
        int len = Math.min(out.length - a, (int) (0.3 * RATE));
        double phase = 0;
        for (int i = 0; i < len; i++) {
            double t = i / (double) RATE;
            phase += 2 * Math.PI * (hz + sweep * Math.exp(-t * 30)) / RATE;
            out[a + i] += (float) (0.5 * Math.exp(-t * decay) * Math.sin(phase));
        }
    }

    private static void noiseHit(float[] out, double start, double gain, double decaySeconds, boolean bright, Random rng) {
        int a = (int) (start * RATE);
        int len = Math.min(out.length - a, (int) (decaySeconds * 5 * RATE));
        double last = 0;
        for (int i = 0; i < len; i++) {
            double x = rng.nextGaussian();
            double y = bright ? x - last : x; // first difference: a crude high-pass for the hi-hat
            last = x;
            out[a + i] += (float) (gain * Math.exp(-i / (decaySeconds * RATE)) * y * 0.3);
        }
    }
}
