package io.tonearm.launcher.up;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Synthesized WAV files with known content. */
public final class TestAudio {
    private TestAudio() {
    }

    /** A mono 16-bit sine of {@code hz} at peak {@code amplitude} (0..1), {@code seconds} long, at 44.1 kHz. */
    public static Path sine(Path file, double hz, double amplitude, double seconds) throws IOException {
        int rate = 44100;
        int n = (int) (seconds * rate);
        ByteBuffer pcm = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            pcm.putShort((short) Math.round(32767 * amplitude * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        return write(file, pcm, rate, n);
    }

    /**
     * A kick-like click every 0.5 s (120 BPM) over a sustained A major triad (A3, C#4, E4 with two overtones),
     * mono 44.1 kHz: a tempo and a key with known answers.
     */
    public static Path music120InAMajor(Path file, double seconds) throws IOException {
        int rate = 44100;
        int n = (int) (seconds * rate);
        double[] triad = {220.0, 277.18, 329.63};
        java.util.Random noise = new java.util.Random(1);
        ByteBuffer pcm = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double v = 0;
            for (double f : triad) {
                v += Math.sin(2 * Math.PI * f * t) + 0.4 * Math.sin(4 * Math.PI * f * t) + 0.2 * Math.sin(6 * Math.PI * f * t);
            }
            v *= 0.05;
            double sinceBeat = t % 0.5;
            if (sinceBeat < 0.06) {
                double env = Math.exp(-sinceBeat * 60);
                v += 0.6 * env * Math.sin(2 * Math.PI * 60 * sinceBeat) + 0.15 * env * (noise.nextDouble() * 2 - 1);
            }
            pcm.putShort((short) Math.round(32000 * Math.max(-1, Math.min(1, v))));
        }
        return write(file, pcm, rate, n);
    }

    /**
     * A short piece with a known tempo, key and level, mono 44.1 kHz: a kick-like click on every beat over one
     * chord per bar (4 beats) of I–IV–V–I in major or i–iv–V–i in minor (the major V's leading tone tells a minor
     * key from its relative major), each chord a root-position triad with the root an octave below and three
     * harmonics per note. {@code tonic} is a pitch class (C = 0); the waveform is scaled so its sample peak is
     * {@code peak} (0..1), which sets the loudness: halving {@code peak} lowers it by 6.02 LU.
     */
    public static Path music(Path file, double bpm, int tonic, boolean minor, double peak, double seconds) throws IOException {
        int rate = 44100;
        int n = (int) (seconds * rate);
        double beat = 60.0 / bpm;
        int[][] bars = minor ? new int[][] {{0, 3, 7}, {5, 8, 12}, {7, 11, 14}, {0, 3, 7}}
                : new int[][] {{0, 4, 7}, {5, 9, 12}, {7, 11, 14}, {0, 4, 7}};
        int root = 57 + Math.floorMod(tonic - 9, 12); // MIDI A3..G#4
        java.util.Random noise = new java.util.Random(tonic * 31L + (long) bpm);
        double[] v = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            int[] chord = bars[(int) (t / (4 * beat)) % bars.length];
            double x = 0.6 * Math.sin(2 * Math.PI * hz(root + chord[0] - 12) * t);
            for (int interval : chord) {
                double f = hz(root + interval);
                x += Math.sin(2 * Math.PI * f * t) + 0.4 * Math.sin(4 * Math.PI * f * t) + 0.2 * Math.sin(6 * Math.PI * f * t);
            }
            x *= 0.2;
            double sinceBeat = t % beat;
            if (sinceBeat < 0.06) {
                double env = Math.exp(-sinceBeat * 60);
                x += 0.35 * env * Math.sin(2 * Math.PI * 60 * sinceBeat) + 0.1 * env * (noise.nextDouble() * 2 - 1);
            }
            v[i] = x;
            max = Math.max(max, Math.abs(x));
        }
        ByteBuffer pcm = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            pcm.putShort((short) Math.round(32767 * peak * v[i] / max));
        }
        return write(file, pcm, rate, n);
    }

    private static double hz(int midi) {
        return 440 * Math.pow(2, (midi - 69) / 12.0);
    }

    private static Path write(Path file, ByteBuffer pcm, int rate, int n) throws IOException {
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }
}
