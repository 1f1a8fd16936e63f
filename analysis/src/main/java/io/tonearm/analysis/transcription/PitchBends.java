package io.tonearm.analysis.transcription;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-frame pitch bend of every key from Basic Pitch's contour posteriorgram (264 bins, 3 per semitone from
 * A0), as upstream {@code note_creation.get_pitch_bends}: around the key's bin {@code 3·(midi − 21)}, the contour
 * times a Gaussian window (51 bins, σ = 5 bins) peaks at some offset, in thirds of a semitone (±25). The offset
 * depends only on the frame and the key, so it is computed as each frame arrives and kept as one byte per key
 * and frame (+50 % over the posteriorgrams) instead of keeping the 264-bin contour.
 */
final class PitchBends {

    static final int CONTOUR_BINS = 264;
    static final int TOLERANCE = 25;
    private static final int KEYS = Posteriorgrams.KEYS;
    private static final int BLOCK = Posteriorgrams.BLOCK_FRAMES;
    private static final double[] GAUSSIAN = new double[2 * TOLERANCE + 1];

    static {
        for (int n = 0; n < GAUSSIAN.length; n++) GAUSSIAN[n] = Math.exp(-0.5 * Math.pow((n - TOLERANCE) / 5.0, 2));
    }

    private final List<byte[]> blocks = new ArrayList<>();
    private int frames;

    /** Appends one frame from its 264 contour values starting at {@code offset}. */
    void append(float[] contour, int offset) {
        if (frames / BLOCK == blocks.size()) blocks.add(new byte[BLOCK * KEYS]);
        byte[] b = blocks.get(frames / BLOCK);
        int at = (frames % BLOCK) * KEYS;
        for (int k = 0; k < KEYS; k++) b[at + k] = (byte) bend(contour, offset, k);
        frames++;
    }

    /** Upstream's argmax over the Gaussian-weighted window, minus the window's shift (first maximum on ties). */
    static int bend(float[] contour, int offset, int key) {
        int center = 3 * key;
        int from = Math.max(center - TOLERANCE, 0);
        int to = Math.min(CONTOUR_BINS, center + TOLERANCE + 1);
        int g0 = Math.max(0, TOLERANCE - center);
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < to - from; j++) {
            double v = contour[offset + from + j] * GAUSSIAN[g0 + j];
            if (v > bestValue) {
                bestValue = v;
                best = j;
            }
        }
        return best - (TOLERANCE - g0);
    }

    int bend(int frame, int key) {
        return blocks.get(frame / BLOCK)[(frame % BLOCK) * KEYS + key];
    }

    void truncate(int count) {
        if (count >= frames) return;
        frames = Math.max(0, count);
        while (blocks.size() > (frames + BLOCK - 1) / BLOCK) blocks.remove(blocks.size() - 1);
    }

    int frames() {
        return frames;
    }

    long bytesHeld() {
        return (long) blocks.size() * BLOCK * KEYS;
    }
}
