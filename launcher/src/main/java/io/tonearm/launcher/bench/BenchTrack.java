package io.tonearm.launcher.bench;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;

/**
 * A deterministic stand-in for a pop track, for benchmarking when no file is given: 120 BPM drums, a bass line and
 * harmonic chord pads cycling C – G – Am – F, stereo 44.1 kHz. Its cost profile (onsets, harmony, full band) is
 * what analyzers meet in a catalog; its content is irrelevant to the figures. Variants differ in tempo, key and
 * noise, so that a set of them is a set of distinct recordings (as a catalog is), not near-duplicates of one
 * another: the pipeline fingerprints every recording and compares it with its near-duplicate candidates.
 */
final class BenchTrack {

    static final int RATE = 44100;

    private BenchTrack() {
    }

    static void writeWav(Path wav, double seconds) throws IOException {
        writeWav(wav, seconds, 0);
    }

    /** Variant 0 is the track {@code tonearm bench} has always used; others change tempo, key and noise. */
    static void writeWav(Path wav, double seconds, int variant) throws IOException {
        int frames = (int) (seconds * RATE);
        ByteBuffer pcm = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        double beat = 60.0 / (120 + (variant * 7) % 50);
        int transpose = (variant * 5) % 12;
        int[][] chords = {{60, 64, 67}, {55, 59, 62}, {57, 60, 64}, {53, 57, 60}};
        for (int[] chord : chords) for (int k = 0; k < chord.length; k++) chord[k] += transpose;
        Random noise = new Random(42 + variant);
        for (int i = 0; i < frames; i++) {
            double t = i / (double) RATE;
            int beatIndex = (int) (t / beat);
            double tb = t - beatIndex * beat;
            int[] chord = chords[(beatIndex / 4) % chords.length];
            double kick = beatIndex % 2 == 0 ? Math.sin(2 * Math.PI * (50 + 80 * Math.exp(-tb * 30)) * tb) * Math.exp(-tb * 12) : 0;
            double snare = beatIndex % 2 == 1 ? (noise.nextDouble() * 2 - 1) * Math.exp(-tb * 25) * 0.5 : 0;
            double te = t % (beat / 2);
            double hat = (noise.nextDouble() * 2 - 1) * Math.exp(-te * 120) * 0.15;
            double pad = 0;
            for (int note : chord) pad += tone(midiHz(note), t) * 0.12;
            double bass = tone(midiHz(chord[0] - 24), t) * 0.25 * Math.exp(-tb * 3);
            double left = 0.6 * kick + 0.7 * snare + hat + pad * 0.9 + bass;
            double right = 0.6 * kick + 0.5 * snare + hat * 0.7 + pad * 1.1 + bass;
            pcm.putShort(clip(left * 0.6));
            pcm.putShort(clip(right * 0.6));
        }
        AudioFormat format = new AudioFormat(RATE, 16, 2, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
    }

    private static double tone(double hz, double t) {
        double s = 0;
        for (int k = 1; k <= 5; k++) s += Math.sin(2 * Math.PI * hz * k * t) / k;
        return s;
    }

    private static double midiHz(int midi) {
        return 440 * Math.pow(2, (midi - 69) / 12.0);
    }

    private static short clip(double x) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(x * 32767)));
    }
}
