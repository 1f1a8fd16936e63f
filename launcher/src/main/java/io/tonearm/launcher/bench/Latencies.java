package io.tonearm.launcher.bench;

import java.util.Arrays;

/** Request latencies of one load phase, recorded from many threads; percentiles by nearest rank. */
final class Latencies {
    private long[] nanos = new long[1024];
    private int count;

    synchronized void add(long n) {
        if (count == nanos.length) nanos = Arrays.copyOf(nanos, count * 2);
        nanos[count++] = n;
    }

    synchronized int count() {
        return count;
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) in milliseconds. */
    synchronized double percentileMillis(double p) {
        if (count == 0) throw new IllegalStateException("no samples");
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return sorted[nearestRank(count, p)] / 1e6;
    }

    /** The index of the {@code p}-th percentile in {@code count} sorted values, by nearest rank. */
    static int nearestRank(int count, double p) {
        int rank = (int) Math.ceil(p / 100.0 * count);
        return Math.max(0, Math.min(count - 1, rank - 1));
    }
}
