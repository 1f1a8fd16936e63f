package io.tonearm.analysis.waveform;

/**
 * Min/max of a signal of unknown length in bounded memory: one bucket per {@code bucketFrames} frames, starting at
 * one frame per bucket; when the buckets reach their capacity, neighbouring pairs merge and the bucket length
 * doubles (so memory stays at most {@code capacity} buckets whatever the duration, and the final resolution is
 * between capacity/2 and capacity buckets). {@link #resample} then reads it at any number of points.
 */
final class PeakEnvelope {

    private final int capacity;
    private final float[] min;
    private final float[] max;
    private int count;
    private long bucketFrames = 1;
    private long inBucket;
    private long frames;

    /** @param capacity maximum buckets kept; rounded up to an even number */
    PeakEnvelope(int capacity) {
        this.capacity = Math.max(2, capacity + (capacity & 1));
        this.min = new float[this.capacity];
        this.max = new float[this.capacity];
    }

    void add(float v) {
        if (inBucket == 0) {
            if (count == capacity) mergePairs();
            min[count] = v;
            max[count] = v;
            count++;
        } else {
            int last = count - 1;
            if (v < min[last]) min[last] = v;
            if (v > max[last]) max[last] = v;
        }
        if (++inBucket == bucketFrames) inBucket = 0;
        frames++;
    }

    long frames() {
        return frames;
    }

    private void mergePairs() {
        for (int i = 0; i < count / 2; i++) {
            min[i] = Math.min(min[2 * i], min[2 * i + 1]);
            max[i] = Math.max(max[2 * i], max[2 * i + 1]);
        }
        count /= 2;
        bucketFrames *= 2;
    }

    /**
     * Min and max over {@code points} equal spans of the signal: point p covers frames
     * [floor(p T / points), ceil((p + 1) T / points)), widened to whole buckets (a conservative envelope). With fewer
     * frames than points, frames repeat. Empty arrays when no frame was added.
     */
    float[][] resample(int points) {
        if (frames == 0) return new float[][] {new float[0], new float[0]};
        float[] outMin = new float[points];
        float[] outMax = new float[points];
        for (int p = 0; p < points; p++) {
            long start = Math.floorDiv(p * frames, points);
            long end = Math.max(start + 1, ceilDiv((p + 1) * frames, points));
            int first = (int) (start / bucketFrames);
            int last = (int) Math.min(count - 1, (end - 1) / bucketFrames);
            float lo = min[first];
            float hi = max[first];
            for (int b = first + 1; b <= last; b++) {
                lo = Math.min(lo, min[b]);
                hi = Math.max(hi, max[b]);
            }
            outMin[p] = lo;
            outMax[p] = hi;
        }
        return new float[][] {outMin, outMax};
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
