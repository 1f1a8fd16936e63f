package io.tonearm.analysis.loudness;

import java.util.ArrayList;
import java.util.List;

/** Synthesized test signals of EBU Tech 3341 / 3342: sine tones in level steps, written into interleaved buffers. */
final class Tones {

    /** A stretch of a 1 kHz-style tone: peak level in dBFS (null = digital silence) for a duration. */
    record Segment(Double dbfs, double seconds) {
    }

    private final int sampleRate;
    private final int channels;
    private final List<Segment> segments = new ArrayList<>();
    private double frequency = 1000;

    private Tones(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
    }

    static Tones of(int sampleRate, int channels) {
        return new Tones(sampleRate, channels);
    }

    Tones frequency(double hz) {
        this.frequency = hz;
        return this;
    }

    Tones tone(double dbfs, double seconds) {
        segments.add(new Segment(dbfs, seconds));
        return this;
    }

    Tones silence(double seconds) {
        segments.add(new Segment(null, seconds));
        return this;
    }

    /** The same tone on every channel, phase continuous across level steps. */
    float[] build() {
        return build(c -> true);
    }

    /** The tone only on the channels {@code on} accepts; the others stay silent. */
    float[] build(java.util.function.IntPredicate on) {
        long total = 0;
        for (Segment s : segments) total += Math.round(s.seconds() * sampleRate);
        float[] out = new float[Math.toIntExact(total * channels)];
        double[] period = onePeriod();
        long n = 0;
        for (Segment s : segments) {
            long frames = Math.round(s.seconds() * sampleRate);
            if (s.dbfs() != null) {
                double amplitude = Math.pow(10, s.dbfs() / 20);
                for (long i = n; i < n + frames; i++) {
                    float v = (float) (amplitude * period[(int) (i % period.length)]);
                    for (int c = 0; c < channels; c++) if (on.test(c)) out[(int) (i * channels + c)] = v;
                }
            }
            n += frames;
        }
        return out;
    }

    /** sin(2 pi f i / rate) over the signal's exact period (rate / gcd(rate, f) samples) for whole-Hertz tones. */
    private double[] onePeriod() {
        if (frequency != Math.rint(frequency)) throw new IllegalArgumentException("whole-Hertz tones only: " + frequency);
        long f = (long) frequency;
        int length = (int) (sampleRate / gcd(sampleRate, f));
        double[] period = new double[length];
        for (int i = 0; i < length; i++) period[i] = Math.sin(2 * Math.PI * f * i / sampleRate);
        return period;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * A sine of the given linear amplitude, frequency and phase (degrees) for {@code seconds}, with 20 ms Hann fades
     * at both ends so that the switch-on transient cannot add intersample overshoot of its own.
     */
    static float[] faded(int sampleRate, int channels, double amplitude, double hz, double phaseDegrees, double seconds) {
        int frames = (int) Math.round(seconds * sampleRate);
        int fade = sampleRate / 50;
        float[] out = new float[frames * channels];
        double phase = Math.toRadians(phaseDegrees);
        for (int i = 0; i < frames; i++) {
            double gain = 1.0;
            int edge = Math.min(i, frames - 1 - i);
            if (edge < fade) gain = 0.5 - 0.5 * Math.cos(Math.PI * edge / fade);
            float v = (float) (gain * amplitude * Math.sin(2 * Math.PI * hz * i / sampleRate + phase));
            for (int c = 0; c < channels; c++) out[i * channels + c] = v;
        }
        return out;
    }
}
