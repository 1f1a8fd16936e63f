package io.tonearm.analysis.transcription;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Basic Pitch's note post-processing, a port of upstream {@code note_creation.output_to_notes_polyphonic}
 * (Bittner et al., ICASSP 2022; spotify/basic-pitch, Apache-2.0), step for step:
 * <ol>
 *   <li>keys outside [{@code minKey}, {@code maxKey}) are zeroed ({@code constrain_frequency});</li>
 *   <li>inferred onsets: {@code max(onset, d · max(onset) / max(d))} with
 *       {@code d[t] = max(0, min(note[t] − note[t−1], note[t] − note[t−2]))}, zero for the first two frames;</li>
 *   <li>onset peaks (strict local maxima in time, ≥ the onset threshold) walked from the last to the first
 *       (equal times: highest key first); each note extends while the remaining energy stays ≥ the frame
 *       threshold, tolerating {@code energyTol} frames below it; notes of {@code minFrames} frames or fewer
 *       are dropped; a kept note zeroes its frames in its key and both neighbours;</li>
 *   <li>the "melodia trick": from the largest remaining value above the frame threshold (first in
 *       time-then-key order on ties, as numpy's argmax), grow a note both ways by the same rule, zeroing as it
 *       goes, until nothing above the threshold remains;</li>
 *   <li>amplitude = mean of the (constrained) note posteriorgram over {@code [start, end)}.</li>
 * </ol>
 * The global argmax loop is done by sorting the cells above the threshold once, which visits them in the same
 * order: remaining energy only ever drops to zero, so the next maximum is the next cell not yet zeroed.
 */
final class NoteCreation {

    static final int MIDI_OFFSET = 21;
    private static final int KEYS = Posteriorgrams.KEYS;
    private static final int MAX_KEY = KEYS - 1;

    /** @param minFrames notes must be longer than this many frames (upstream {@code min_note_len})
     *  @param minKey first key index kept (0 = A0); @param maxKey first key index dropped (88 = none) */
    record Settings(double onsetThreshold, double frameThreshold, int minFrames, boolean melodiaTrick,
                    int minKey, int maxKey, int energyTol) {
    }

    /** One note in model frames: {@code [start, end)}, MIDI pitch, mean note activation. */
    record Event(int start, int end, int pitch, double amplitude) {
    }

    private final Posteriorgrams grams;
    private final Settings s;
    private final int n;
    private final BitSet zeroed;

    private NoteCreation(Posteriorgrams grams, Settings settings) {
        this.grams = grams;
        this.s = settings;
        this.n = grams.frames();
        this.zeroed = new BitSet(n * KEYS);
    }

    static List<Event> notes(Posteriorgrams grams, Settings settings) {
        return new NoteCreation(grams, settings).run();
    }

    private List<Event> run() {
        List<Event> events = new ArrayList<>();
        if (n == 0) return events;
        onsetNotes(events);
        if (s.melodiaTrick()) melodiaNotes(events);
        return events;
    }

    private float frame(int t, int k) {
        return k < s.minKey() || k >= s.maxKey() ? 0f : grams.note(t, k);
    }

    private float onset(int t, int k) {
        return k < s.minKey() || k >= s.maxKey() ? 0f : grams.onset(t, k);
    }

    private float remaining(int t, int k) {
        return zeroed.get(t * KEYS + k) ? 0f : frame(t, k);
    }

    private void zero(int t, int k) {
        zeroed.set(t * KEYS + k);
    }

    private float diff(int t, int k) {
        if (t < 2) return 0f;
        float v = frame(t, k);
        return Math.max(0f, Math.min(v - frame(t - 1, k), v - frame(t - 2, k)));
    }

    private void onsetNotes(List<Event> events) {
        float maxOnset = 0, maxDiff = 0;
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < KEYS; k++) {
                maxOnset = Math.max(maxOnset, onset(t, k));
                maxDiff = Math.max(maxDiff, diff(t, k));
            }
        }
        float scale = maxDiff > 0 ? maxOnset / maxDiff : 0f;   // upstream divides by zero on a flat map; no inferred onsets then

        // Peaks of the inferred onset map, found in time order, then walked backwards.
        List<int[]> peaks = new ArrayList<>();
        float[] prev = new float[KEYS], cur = new float[KEYS], next = new float[KEYS];
        for (int k = 0; k < KEYS; k++) cur[k] = inferred(0, k, scale);
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < KEYS; k++) next[k] = t + 1 < n ? inferred(t + 1, k, scale) : 0f;
            if (t >= 1 && t + 1 < n) {   // argrelmax never reports the first or last frame
                for (int k = 0; k < KEYS; k++) {
                    if (cur[k] > prev[k] && cur[k] > next[k] && cur[k] >= s.onsetThreshold()) peaks.add(new int[]{t, k});
                }
            }
            float[] r = prev;
            prev = cur;
            cur = next;
            next = r;
        }

        for (int p = peaks.size() - 1; p >= 0; p--) {
            int start = peaks.get(p)[0], key = peaks.get(p)[1];
            if (start >= n - 1) continue;
            int i = start + 1, below = 0;
            while (i < n - 1 && below < s.energyTol()) {
                below = remaining(i, key) < s.frameThreshold() ? below + 1 : 0;
                i++;
            }
            i -= below;
            if (i - start <= s.minFrames()) continue;
            for (int t = start; t < i; t++) zeroKeyAndNeighbours(t, key);
            events.add(new Event(start, i, key + MIDI_OFFSET, meanFrame(start, i, key)));
        }
    }

    private float inferred(int t, int k, float scale) {
        return Math.max(onset(t, k), diff(t, k) * scale);
    }

    private void melodiaNotes(List<Event> events) {
        long[] cells = candidates();
        for (long cell : cells) {
            int index = (int) cell;
            if (zeroed.get(index)) continue;
            int mid = index / KEYS, key = index % KEYS;
            zero(mid, key);

            int i = mid + 1, below = 0;
            while (i < n - 1 && below < s.energyTol()) {
                below = remaining(i, key) < s.frameThreshold() ? below + 1 : 0;
                zeroKeyAndNeighbours(i, key);
                i++;
            }
            int end = i - 1 - below;

            i = mid - 1;
            below = 0;
            while (i > 0 && below < s.energyTol()) {
                below = remaining(i, key) < s.frameThreshold() ? below + 1 : 0;
                zeroKeyAndNeighbours(i, key);
                i--;
            }
            int start = i + 1 + below;

            if (end - start <= s.minFrames()) continue;
            events.add(new Event(start, end, key + MIDI_OFFSET, meanFrame(start, end, key)));
        }
    }

    /** Cells still above the frame threshold, largest first, ties in time-then-key order (numpy's argmax). */
    private long[] candidates() {
        long[] cells = new long[64];
        int count = 0;
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < KEYS; k++) {
                float v = remaining(t, k);
                if (v > s.frameThreshold()) {
                    if (count == cells.length) cells = Arrays.copyOf(cells, count * 2);
                    long rank = Math.round((1 - v) * 65535.0);   // the store's 16-bit steps: exact, ascending = largest first
                    cells[count++] = rank << 32 | (t * KEYS + k);
                }
            }
        }
        cells = Arrays.copyOf(cells, count);
        Arrays.sort(cells);
        return cells;
    }

    private void zeroKeyAndNeighbours(int t, int key) {
        zero(t, key);
        if (key < MAX_KEY) zero(t, key + 1);
        if (key > 0) zero(t, key - 1);
    }

    private double meanFrame(int start, int end, int key) {
        double sum = 0;
        for (int t = start; t < end; t++) sum += frame(t, key);
        return sum / (end - start);
    }
}
