package io.tonearm.analysis.fingerprint;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Pairs each anchor peak with the first {@code fanout} peaks of its target zone (Wang 2003, "combinatorial
 * hashing"): the next {@value LandmarkHash#MAX_DT} frames after the anchor, within ±{@value LandmarkHash#MAX_DF}
 * bins, nearest in time first (then lowest bin). Peaks arrive in frame order; an anchor is paired once the
 * peaks of its whole target zone have arrived, so only ~1.5 s of peaks are held.
 */
final class LandmarkPairer implements PeakConstellation.Sink {

    private final int fanout;
    private final int hashTag;
    private final ArrayDeque<int[]> pending = new ArrayDeque<>(); // {frame, bin}, anchors not yet paired and their targets
    private int[] hashes = new int[1024];
    private int[] times = new int[1024];
    private int count;

    LandmarkPairer(int fanout, LandmarkFormat format) {
        if (fanout < 1) throw new IllegalArgumentException("fanout " + fanout);
        this.fanout = fanout;
        this.hashTag = format.hashTag();
    }

    @Override
    public void peak(int frame, int bin) {
        while (!pending.isEmpty() && pending.peekFirst()[0] + LandmarkHash.MAX_DT < frame) pairFirst();
        pending.addLast(new int[]{frame, bin});
    }

    /** All peaks have arrived. */
    Landmarks finish(int frames) {
        while (!pending.isEmpty()) pairFirst();
        return new Landmarks(Arrays.copyOf(hashes, count), Arrays.copyOf(times, count), frames);
    }

    private void pairFirst() {
        int[] anchor = pending.pollFirst();
        int made = 0;
        // pending is in frame order; within a frame, peaks arrive by ascending bin
        for (int[] target : pending) {
            if (made == fanout) break;
            int dt = target[0] - anchor[0];
            if (dt < 1) continue;
            if (dt > LandmarkHash.MAX_DT) break;
            int df = target[1] - anchor[1];
            if (Math.abs(df) > LandmarkHash.MAX_DF) continue;
            add(hashTag | LandmarkHash.of(anchor[1], df, dt), anchor[0]);
            made++;
        }
    }

    private void add(int hash, int time) {
        if (count == hashes.length) {
            hashes = Arrays.copyOf(hashes, count * 2);
            times = Arrays.copyOf(times, count * 2);
        }
        hashes[count] = hash;
        times[count] = time;
        count++;
    }
}
