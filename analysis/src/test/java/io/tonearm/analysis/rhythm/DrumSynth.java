package io.tonearm.analysis.rhythm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthesized drum patterns with known beats: pitched kick (a falling sine), snare (noise burst plus a tone),
 * hi-hat (high-passed short noise). Mono, 44100 Hz, so tests also exercise the runner's resampling.
 */
final class DrumSynth {

    static final int RATE = 44100;

    /** A pattern: its audio and the true beat and downbeat times in seconds. */
    record Pattern(float[] audio, double bpm, List<Double> beats, List<Double> downbeats) {
    }

    private final Random random;

    DrumSynth(long seed) {
        this.random = new Random(seed);
    }

    /** Rock beat in 4/4: accented kick on 1, kick on 3, snare on 2 and 4, hi-hats on eighths (swing 0.5 = straight). */
    Pattern fourFour(double bpm, double seconds, double swing, double jitterSeconds) {
        return pattern(bpm, seconds, 4, swing, jitterSeconds);
    }

    /** Waltz: accented kick on 1, softer snare on 2 and 3, hi-hats on eighths. */
    Pattern waltz(double bpm, double seconds) {
        return pattern(bpm, seconds, 3, 0.5, 0);
    }

    /** Four on the floor: kick on every beat, loud open hi-hat on the off-beats, light snare on 2 and 4. */
    float[] house(double bpm, double seconds) {
        float[] out = new float[(int) (seconds * RATE)];
        double p = 60 / bpm;
        int i = 0;
        for (double t = 0.3; t < seconds - 0.5; t += p, i++) {
            kick(out, t, 1.0);
            hat(out, t + p / 2, 0.5);
            if (i % 2 == 1) snare(out, t, 0.4);
        }
        return out;
    }

    /** Kick and snare alternating on the beats, hi-hats on sixteenths. */
    float[] sixteenths(double bpm, double seconds) {
        float[] out = new float[(int) (seconds * RATE)];
        double p = 60 / bpm;
        int i = 0;
        for (double t = 0.3; t < seconds - 0.5; t += p, i++) {
            if (i % 2 == 0) kick(out, t, 1.0);
            else snare(out, t, 0.7);
            for (int k = 0; k < 4; k++) hat(out, t + k * p / 4, k == 0 ? 0.3 : 0.2);
        }
        return out;
    }

    private Pattern pattern(double bpm, double seconds, int meter, double swing, double jitter) {
        float[] out = new float[(int) (seconds * RATE)];
        double period = 60 / bpm;
        double first = 0.3;
        List<Double> beats = new ArrayList<>(), downbeats = new ArrayList<>();
        for (int i = 0; first + i * period < seconds - 0.2; i++) {
            double t = first + i * period;
            beats.add(t);
            int inBar = i % meter;
            if (inBar == 0) downbeats.add(t);
            double j = jitter > 0 ? (random.nextDouble() * 2 - 1) * jitter : 0;
            double v = jitter > 0 ? 0.8 + 0.2 * random.nextDouble() : 1;
            if (meter == 4) {
                if (inBar == 0) kick(out, t + j, 1.0 * v);
                else if (inBar == 2) kick(out, t + j, 0.6 * v);
                else snare(out, t + j, 0.7 * v);
            } else {
                if (inBar == 0) kick(out, t + j, 1.0 * v);
                else snare(out, t + j, 0.35 * v);
            }
            hat(out, t + j, 0.25 * v);
            hat(out, t + swing * period + j, 0.18 * v);
        }
        return new Pattern(out, bpm, beats, downbeats);
    }

    void kick(float[] out, double t, double gain) {
        int s0 = (int) Math.round(t * RATE);
        double phase = 0;
        for (int n = 0; n < 0.35 * RATE && s0 + n < out.length; n++) {
            if (s0 + n < 0) continue;
            double tt = n / (double) RATE;
            double f = 45 + 90 * Math.exp(-tt / 0.04);
            phase += 2 * Math.PI * f / RATE;
            out[s0 + n] += (float) (gain * 0.9 * Math.sin(phase) * Math.exp(-tt / 0.12) * fade(n, 0.35));
        }
    }

    void snare(float[] out, double t, double gain) {
        int s0 = (int) Math.round(t * RATE);
        for (int n = 0; n < 0.25 * RATE && s0 + n < out.length; n++) {
            if (s0 + n < 0) continue;
            double tt = n / (double) RATE;
            double noise = random.nextDouble() * 2 - 1;
            double tone = Math.sin(2 * Math.PI * 190 * tt) * Math.exp(-tt / 0.04);
            out[s0 + n] += (float) (gain * (0.6 * noise * Math.exp(-tt / 0.07) + 0.4 * tone) * fade(n, 0.25));
        }
    }

    void hat(float[] out, double t, double gain) {
        int s0 = (int) Math.round(t * RATE);
        double prev = 0;
        for (int n = 0; n < 0.08 * RATE && s0 + n < out.length; n++) {
            if (s0 + n < 0) continue;
            double tt = n / (double) RATE;
            double noise = random.nextDouble() * 2 - 1;
            out[s0 + n] += (float) (gain * 0.5 * (noise - prev) * Math.exp(-tt / 0.015) * fade(n, 0.08));
            prev = noise;
        }
    }

    /** A decaying harmonic tone (piano-like note). */
    void note(float[] out, double t, double hz, double gain) {
        int s0 = (int) Math.round(t * RATE);
        for (int n = 0; n < 0.6 * RATE && s0 + n < out.length; n++) {
            double tt = n / (double) RATE;
            double v = 0;
            for (int h = 1; h <= 5; h++) v += Math.sin(2 * Math.PI * hz * h * tt) / h;
            double attack = Math.min(1, tt / 0.003);
            out[s0 + n] += (float) (gain * 0.3 * v * attack * Math.exp(-tt / 0.25) * fade(n, 0.6));
        }
    }

    /** Short noise click. */
    void click(float[] out, double t, double gain) {
        int s0 = (int) Math.round(t * RATE);
        for (int n = 0; n < 0.01 * RATE && s0 + n < out.length; n++) {
            out[s0 + n] += (float) (gain * (random.nextDouble() * 2 - 1) * Math.exp(-n / (0.002 * RATE)));
        }
    }

    /** Raised-cosine fade over the last 20 ms, so truncating a sound adds no click (a spurious onset). */
    private static double fade(int n, double seconds) {
        double left = seconds - n / (double) RATE;
        return left >= 0.02 ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, left) / 0.02);
    }

    Random random() {
        return random;
    }
}
