package io.tonearm.analysis.transcription;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders known notes as piano-like tones at 22050 Hz: 10 slightly inharmonic partials (string stiffness
 * B = 1e-4), 1/h amplitudes, a 4 ms attack, an exponential decay that is faster for higher partials and for
 * higher notes, and a 60 ms release after the note's end, as a damper would. The truth for the F-measure is the
 * note list itself.
 */
final class PianoSynth {

    static final int RATE = 22050;

    /** A reference note: onset and offset in seconds, MIDI pitch, peak amplitude 0–1. */
    record Note(double start, double end, int pitch, double gain) {
    }

    private PianoSynth() {
    }

    static float[] render(List<Note> notes, double seconds) {
        float[] out = new float[(int) (seconds * RATE)];
        for (Note n : notes) add(out, n);
        float peak = 0;
        for (float v : out) peak = Math.max(peak, Math.abs(v));
        if (peak > 0.9f) for (int i = 0; i < out.length; i++) out[i] *= 0.9f / peak;
        return out;
    }

    private static void add(float[] out, Note n) {
        double f0 = 440 * Math.pow(2, (n.pitch() - 69) / 12.0);
        int from = (int) (n.start() * RATE);
        double release = 0.06;
        int to = Math.min(out.length, (int) ((n.end() + release) * RATE));
        double baseDecay = 1.2 + (n.pitch() - 40) * 0.05;   // s⁻¹: higher notes die sooner
        for (int h = 1; h <= 10; h++) {
            double fh = h * f0 * Math.sqrt(1 + 1e-4 * h * h);
            if (fh > RATE / 2.0 - 500) break;
            double a = n.gain() * 0.25 / h;
            double decay = baseDecay * (1 + 0.4 * (h - 1));
            double phase = h * 0.7;
            for (int i = from; i < to; i++) {
                double t = (i - from) / (double) RATE;
                double env = Math.min(1, t / 0.004) * Math.exp(-decay * t);
                double sinceEnd = t - (n.end() - n.start());
                if (sinceEnd > 0) env *= Math.exp(-sinceEnd / (release / 5));
                out[i] += (float) (a * env * Math.sin(2 * Math.PI * fh * t + phase));
            }
        }
    }

    /** About 32 s: a melody, a chord progression of 3–4 notes, repeated notes and chords, a melody over chords. */
    static List<Note> testPiece() {
        List<Note> notes = new ArrayList<>();
        double t = 0.5;
        // 1. melody in C major, mixed durations
        int[] melody = {60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60, 67, 72, 76, 79, 77, 74, 71};
        double[] durations = {0.4, 0.3, 0.3, 0.5, 0.4, 0.25, 0.25, 0.6};
        for (int i = 0; i < melody.length; i++) {
            double d = durations[i % durations.length];
            notes.add(new Note(t, t + d * 0.9, melody[i], 0.6 + 0.3 * ((i * 7) % 5) / 4.0));
            t += d;
        }
        t += 0.5;
        // 2. chord progression, 3 and 4 notes
        int[][] chords = {{48, 52, 55, 60}, {45, 52, 57, 60}, {41, 53, 57, 60}, {43, 50, 55, 59},
                {48, 55, 64}, {50, 57, 65}, {52, 59, 67, 71}, {53, 60, 69}, {55, 62, 67, 71}, {48, 52, 55, 60}};
        for (int[] chord : chords) {
            for (int p : chord) notes.add(new Note(t, t + 0.9, p, 0.7));
            t += 1.0;
        }
        t += 0.5;
        // 3. repeated notes and a repeated chord
        for (int i = 0; i < 8; i++) {
            notes.add(new Note(t, t + 0.22, 67, 0.8));
            t += 0.3;
        }
        for (int i = 0; i < 6; i++) {
            for (int p : new int[]{57, 60, 64}) notes.add(new Note(t, t + 0.3, p, 0.7));
            t += 0.4;
        }
        t += 0.5;
        // 4. melody over sustained chords
        int[][] pads = {{48, 55, 64}, {53, 57, 60}, {55, 59, 62}, {48, 52, 55}};
        int[] tune = {76, 74, 72, 74, 77, 76, 74, 72, 71, 72, 74, 79, 76, 72, 74, 72};
        for (int c = 0; c < pads.length; c++) {
            double start = t + c * 2.0;
            for (int p : pads[c]) notes.add(new Note(start, start + 1.9, p, 0.45));
            for (int i = 0; i < 4; i++) notes.add(new Note(start + i * 0.5, start + i * 0.5 + 0.42, tune[c * 4 + i], 0.9));
        }
        return notes;
    }

    static double duration(List<Note> notes) {
        return notes.stream().mapToDouble(Note::end).max().orElse(0) + 1.0;
    }
}
