package io.tonearm.analysis.fingerprint;

import java.util.Arrays;

/**
 * The constellation map of Wang (2003): spectrogram points that are the maximum of their time-frequency
 * neighbourhood (±{@value #NEIGHBOUR_BINS} bins × ±{@value #NEIGHBOUR_FRAMES} frames) and louder
 * than a floor, thinned to a target density. The density rule is local rather than audfprint's decaying threshold,
 * whose state reaches seconds back (an excerpt would then pick other peaks than its full track for its first
 * seconds): a candidate survives when fewer than {@code density} × 1.05 (the window's length in seconds) louder
 * candidates lie within ±0.51 s of it. Every
 * decision thus depends on ±1 s of audio only, and a gain change moves all log magnitudes alike, changing nothing
 * above the floor. Streaming, with a fixed delay of ~0.6 s; memory does not grow with the recording.
 *
 * <p>Peaks are picked on the magnitude itself, as Wang does: audfprint's high-pass along time (pole 0.98) favours
 * onsets, but on the test catalog a 5 s excerpt in white noise at 10 dB SNR then kept a third as many aligned
 * landmarks (4–6% of the query against 14–22%), and its seconds-long memory also differs between excerpt and track.
 */
final class PeakConstellation {

    interface Sink {
        void peak(int frame, int bin);
    }

    static final int FIRST_BIN = 1;
    static final int LAST_BIN = LandmarkHash.MAX_BIN;
    static final int NEIGHBOUR_BINS = 6;
    static final int NEIGHBOUR_FRAMES = 4;
    /** The quietest magnitude that can be a peak: ≈ −78 dB re a full-scale sine (256 with this window). */
    private static final float MIN_MAGNITUDE = 0.03f;
    private static final int DENSITY_HALF_WINDOW = 22; // frames: ±0.51 s

    private final Sink sink;
    private final int perWindow;
    private final int bins = LAST_BIN - FIRST_BIN + 1;
    private final float[][] ring = new float[2 * NEIGHBOUR_FRAMES + 1][bins];
    private final Candidates candidates = new Candidates(); // in frame order, undecided or still needed as context
    private int received;           // frames seen
    private int nextDecision;       // first frame whose candidates are not yet decided

    /** @param density target peaks per second */
    PeakConstellation(double density, Sink sink) {
        this.sink = sink;
        this.perWindow = Math.max(1, (int) Math.round(density * (2 * DENSITY_HALF_WINDOW + 1) / Landmarks.FRAME_RATE));
    }

    /** One magnitude frame (at least {@code LAST_BIN + 1} bins), in order. */
    void frame(float[] magnitude) {
        float[] row = ring[received % ring.length];
        System.arraycopy(magnitude, FIRST_BIN, row, 0, bins); // maxima and ranks are the same in log magnitude
        received++;
        int ready = received - 1 - NEIGHBOUR_FRAMES;
        if (ready >= 0) findCandidates(ready);
        decide(ready - DENSITY_HALF_WINDOW);
    }

    /** The recording has ended: decide everything left. */
    void end() {
        for (int f = Math.max(0, received - NEIGHBOUR_FRAMES); f < received; f++) findCandidates(f);
        decide(received - 1);
    }

    private void findCandidates(int frame) {
        float[] centre = ring[frame % ring.length];
        int first = Math.max(0, frame - NEIGHBOUR_FRAMES);
        int last = Math.min(received - 1, frame + NEIGHBOUR_FRAMES);
        for (int b = 0; b < bins; b++) {
            float v = centre[b];
            if (v < MIN_MAGNITUDE) continue;
            if (b > 0 && centre[b - 1] >= v || b + 1 < bins && centre[b + 1] > v) continue; // cheap test first
            if (!isNeighbourhoodMax(v, frame, b, first, last)) continue;
            candidates.add(frame, FIRST_BIN + b, v);
        }
    }

    /** Ties go to the earliest frame, then the lowest bin, so exactly one point of a plateau is a candidate. */
    private boolean isNeighbourhoodMax(float v, int frame, int bin, int first, int last) {
        int lo = Math.max(0, bin - NEIGHBOUR_BINS);
        int hi = Math.min(bins - 1, bin + NEIGHBOUR_BINS);
        for (int f = first; f <= last; f++) {
            float[] row = ring[f % ring.length];
            for (int b = lo; b <= hi; b++) {
                float w = row[b];
                if (w > v) return false;
                if (w == v && (f < frame || f == frame && b < bin)) return false;
            }
        }
        return true;
    }

    /**
     * Decides every candidate up to {@code upTo}, in frame order. Candidates are found up to {@code upTo} +
     * {@value #DENSITY_HALF_WINDOW} frames before this is called, and those older than the window of the first
     * undecided frame are gone, so each one's ±window of candidates is complete and lies inside the list.
     */
    private void decide(int upTo) {
        if (upTo < nextDecision) return;
        int n = candidates.size();
        for (int i = 0; i < n; i++) {
            int frame = candidates.frame(i);
            if (frame > upTo) break;
            if (frame < nextDecision) continue;
            if (candidates.strongerWithin(i, DENSITY_HALF_WINDOW, perWindow) < perWindow) sink.peak(frame, candidates.bin(i));
        }
        nextDecision = upTo + 1;
        candidates.dropBefore(nextDecision - DENSITY_HALF_WINDOW);
    }

    /**
     * Candidate peaks in frame order (by bin within a frame), as parallel arrays from {@code head}: deciding a frame
     * compares each of its candidates with the ~1 s of candidates around it, the inner loop of the fingerprint, so
     * it runs over primitives rather than a deque of objects.
     */
    private static final class Candidates {
        private int[] frames = new int[256];
        private int[] bins = new int[256];
        private float[] strengths = new float[256];
        private int head;
        private int tail;

        int size() {
            return tail - head;
        }

        int frame(int i) {
            return frames[head + i];
        }

        int bin(int i) {
            return bins[head + i];
        }

        void add(int frame, int bin, float strength) {
            if (tail == frames.length) {
                if (head > frames.length / 2) compact();
                else grow();
            }
            frames[tail] = frame;
            bins[tail] = bin;
            strengths[tail] = strength;
            tail++;
        }

        /**
         * How many candidates within ±{@code halfWindow} frames of candidate {@code i} are stronger than it (louder;
         * at equal strength the earlier frame, then the lower bin), counting no further than {@code enough}.
         */
        int strongerWithin(int i, int halfWindow, int enough) {
            int c = head + i;
            int frame = frames[c], bin = bins[c];
            float strength = strengths[c];
            int stronger = 0;
            for (int o = head; o < tail && stronger < enough; o++) {
                int f = frames[o];
                if (f < frame - halfWindow) continue;
                if (f > frame + halfWindow) break;
                float s = strengths[o];
                if (s > strength || s == strength && (f < frame || f == frame && bins[o] < bin)) stronger++;
            }
            return stronger;
        }

        void dropBefore(int frame) {
            while (head < tail && frames[head] < frame) head++;
        }

        private void compact() {
            int n = tail - head;
            System.arraycopy(frames, head, frames, 0, n);
            System.arraycopy(bins, head, bins, 0, n);
            System.arraycopy(strengths, head, strengths, 0, n);
            head = 0;
            tail = n;
        }

        private void grow() {
            frames = Arrays.copyOf(frames, frames.length * 2);
            bins = Arrays.copyOf(bins, bins.length * 2);
            strengths = Arrays.copyOf(strengths, strengths.length * 2);
        }
    }
}
