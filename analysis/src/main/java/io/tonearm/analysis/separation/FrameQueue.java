package io.tonearm.analysis.separation;

import java.util.Arrays;

/** A first-in first-out queue of interleaved frames that grows as needed: holds one stream until its partners catch up. */
final class FrameQueue {

    private final int channels;
    private float[] data;
    private int start;   // first queued sample
    private int length;  // queued samples

    FrameQueue(int channels) {
        this.channels = channels;
        this.data = new float[4096 * channels];
    }

    int frames() {
        return length / channels;
    }

    void append(float[] interleaved, int offset, int frames) {
        int n = frames * channels;
        if (start + length + n > data.length) {
            if (length + n > data.length) {
                data = Arrays.copyOfRange(data, start, start + Math.max(2 * data.length, length + n));
            } else {
                System.arraycopy(data, start, data, 0, length);
            }
            start = 0;
        }
        System.arraycopy(interleaved, offset, data, start + length, n);
        length += n;
    }

    /** Moves the oldest {@code frames} frames (at most {@link #frames()}) into {@code into} from index 0. */
    void take(float[] into, int frames) {
        int n = frames * channels;
        if (n > length) throw new IllegalArgumentException("only " + frames() + " frames queued, " + frames + " asked");
        System.arraycopy(data, start, into, 0, n);
        start += n;
        length -= n;
        if (length == 0) start = 0;
    }
}
