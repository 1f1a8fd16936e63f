package io.tonearm.analysis.transcription;

import java.util.ArrayList;
import java.util.List;

/**
 * Basic Pitch's note and onset posteriorgrams (88 keys per frame, 86 frames per second) for a whole recording,
 * kept as 16-bit fixed point instead of float32. The note post-processing is global (onsets are walked from the
 * last to the first, the inferred-onset map is rescaled by whole-recording maxima, the "melodia trick" takes the
 * global maximum first), so every frame must be kept until the end; at 16 bits that is 352 bytes per frame,
 * ≈ 30 KB per second, ≈ 109 MB for an hour, half of float32. The step (1/65535 ≈ 1.5e-5) is far below anything
 * the thresholds (0.3, 0.5) or the 1/127 velocity steps can see; only two neighbours closer than that could tie
 * where float32 would not. The contour posteriorgram is not kept; {@link PitchBends} keeps what notes need of it.
 *
 * <p>Frames are stored in blocks of {@value #BLOCK_FRAMES} so appending never copies what is already held.
 */
final class Posteriorgrams {

    static final int KEYS = 88;
    static final int BLOCK_FRAMES = 1024;
    private static final float SCALE = 65535f;

    private final List<char[]> noteBlocks = new ArrayList<>();
    private final List<char[]> onsetBlocks = new ArrayList<>();
    private int frames;

    /** Appends one frame; {@code note} and {@code onset} hold 88 values each, starting at the given offsets. */
    void append(float[] note, int noteOffset, float[] onset, int onsetOffset) {
        int block = frames / BLOCK_FRAMES;
        if (block == noteBlocks.size()) {
            noteBlocks.add(new char[BLOCK_FRAMES * KEYS]);
            onsetBlocks.add(new char[BLOCK_FRAMES * KEYS]);
        }
        int at = (frames % BLOCK_FRAMES) * KEYS;
        char[] n = noteBlocks.get(block);
        char[] o = onsetBlocks.get(block);
        for (int k = 0; k < KEYS; k++) {
            n[at + k] = quantise(note[noteOffset + k]);
            o[at + k] = quantise(onset[onsetOffset + k]);
        }
        frames++;
    }

    /** Forgets frames past {@code count} (the windowing trims the zero-padded tail). */
    void truncate(int count) {
        if (count >= frames) return;
        frames = Math.max(0, count);
        int blocks = (frames + BLOCK_FRAMES - 1) / BLOCK_FRAMES;
        while (noteBlocks.size() > blocks) {
            noteBlocks.remove(noteBlocks.size() - 1);
            onsetBlocks.remove(onsetBlocks.size() - 1);
        }
    }

    int frames() {
        return frames;
    }

    float note(int frame, int key) {
        return noteBlocks.get(frame / BLOCK_FRAMES)[(frame % BLOCK_FRAMES) * KEYS + key] / SCALE;
    }

    float onset(int frame, int key) {
        return onsetBlocks.get(frame / BLOCK_FRAMES)[(frame % BLOCK_FRAMES) * KEYS + key] / SCALE;
    }

    /** Bytes of posteriorgram data held now (allocated blocks, both maps). */
    long bytesHeld() {
        return 2L * noteBlocks.size() * BLOCK_FRAMES * KEYS * Character.BYTES;
    }

    /** What the same frames would take as float32 note and onset maps: the figure {@link #bytesHeld()} halves. */
    long float32Bytes() {
        return 2L * frames * KEYS * Float.BYTES;
    }

    private static char quantise(float v) {
        float c = v <= 0 ? 0 : v >= 1 ? 1 : v;   // sigmoid outputs; NaN would become 0
        return (char) Math.round(c * SCALE);
    }
}
