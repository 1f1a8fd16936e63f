package io.tonearm.analysis.fingerprint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A recording's landmarks: parallel arrays of 32-bit {@link LandmarkHash hashes} and anchor times (frame indices
 * at {@link #FRAME_RATE} frames per second), in ascending time order, and how many frames were analysed.
 */
public record Landmarks(int[] hashes, int[] times, int frames) {

    /** Frames per second: hops of 512 samples at 22050 Hz (23.2 ms), in every {@link LandmarkFormat}. */
    public static final double FRAME_RATE = 22050 / 512.0;

    public Landmarks {
        if (hashes.length != times.length) throw new IllegalArgumentException(hashes.length + " hashes, " + times.length + " times");
    }

    public int count() {
        return hashes.length;
    }

    public double durationSeconds() {
        return frames / FRAME_RATE;
    }

    /** The same landmarks with their times moved to {@code [fromFrame, toFrame)} and rebased to 0 (an excerpt). */
    public Landmarks slice(int fromFrame, int toFrame) {
        int a = 0;
        while (a < times.length && times[a] < fromFrame) a++;
        int b = a;
        while (b < times.length && times[b] < toFrame) b++;
        int[] t = Arrays.copyOfRange(times, a, b);
        for (int i = 0; i < t.length; i++) t[i] -= fromFrame;
        return new Landmarks(Arrays.copyOfRange(hashes, a, b), t, Math.max(0, Math.min(frames, toFrame) - fromFrame));
    }

    /** The same landmarks {@code frames} later. */
    Landmarks shifted(int frames) {
        if (frames == 0) return this;
        int[] t = times.clone();
        for (int i = 0; i < t.length; i++) t[i] += frames;
        return new Landmarks(hashes, t, this.frames);
    }

    /**
     * The landmarks of several frame grids of one signal, in time order, without repeats: a hash found again within
     * one frame of where it was already found is the same landmark seen on another grid.
     */
    static Landmarks union(List<Landmarks> grids) {
        int total = grids.stream().mapToInt(Landmarks::count).sum();
        long[] entries = new long[total]; // hash (high half), time (low half): sorted by hash then time
        int n = 0;
        for (Landmarks l : grids) {
            for (int i = 0; i < l.count(); i++) entries[n++] = (long) l.hashes[i] << 32 | l.times[i];
        }
        Arrays.sort(entries);
        long[] kept = new long[total]; // time (high half), hash (low half): sorted by time then hash
        int k = 0;
        for (int i = 0; i < n; i++) {
            int hash = (int) (entries[i] >>> 32);
            int time = (int) entries[i];
            long previous = k == 0 ? -1 : kept[k - 1];
            if (k > 0 && (int) previous == hash && time - (int) (previous >>> 32) <= 1) continue;
            kept[k++] = (long) time << 32 | hash;
        }
        Arrays.sort(kept, 0, k);
        int[] h = new int[k];
        int[] t = new int[k];
        for (int i = 0; i < k; i++) {
            h[i] = (int) kept[i];
            t[i] = (int) (kept[i] >>> 32);
        }
        return new Landmarks(h, t, grids.stream().mapToInt(Landmarks::frames).max().orElse(0));
    }

    /** Packed for JSON, named as landmarks of {@code format} (which computed them). */
    public Packed pack(LandmarkFormat format) {
        return new Packed(format.id(), count(), frames, base64(hashes), base64(times));
    }

    /**
     * The JSON form: {@code hashes} and {@code times} are base64 (RFC 4648, with padding) of the int32 values,
     * little-endian, 4 bytes each, {@code count} of each; element i of both is one landmark.
     */
    public record Packed(String format, int count, int frames, String hashes, String times) {

        public Landmarks unpack() {
            LandmarkFormat.byId(format);
            Landmarks l = new Landmarks(ints(hashes), ints(times), frames);
            if (l.count() != count) throw new IllegalArgumentException("count " + count + " but " + l.count() + " landmarks");
            return l;
        }
    }

    private static String base64(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static int[] ints(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length % 4 != 0) throw new IllegalArgumentException("packed ints: " + bytes.length + " bytes");
        int[] out = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }
}
