package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Posting;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A recording's landmarks as its row of {@code fingerprint_recordings} stores them (migration V10): {@code hashes},
 * the distinct hashes in ascending (signed) order, which the GIN index searches, and {@code landmark_times}, the
 * anchor times of every landmark grouped by hash in the order of {@code hashes}.
 *
 * <p>{@code landmark_times}, version {@value #VERSION}: one version byte, then per landmark, in (hash, time) order,
 * one unsigned LEB128 varint of {@code value << 1 | more}, where {@code value} is the time for a hash's first
 * landmark and the difference to the previous time for the next ones, and {@code more} is 1 when another landmark
 * of the same hash follows. A landmark costs 2 bytes in a recording's first 3 minutes (3 bytes up to 6 hours), a
 * repeat of a hash in the same recording 1–2 bytes; each distinct hash costs 4 bytes in {@code hashes}. Migration V10
 * produces the same bytes in SQL from V7's rows ({@code FingerprintMigrationTest} checks that they agree).
 *
 * @param hashes      distinct hashes, ascending
 * @param packedTimes the {@code landmark_times} bytes
 */
record PackedLandmarks(int[] hashes, byte[] packedTimes) {

    static final int VERSION = 1;

    /** Packs parallel arrays of hashes and times (times ≥ 0), in any order. */
    static PackedLandmarks pack(int[] hashes, int[] times) {
        if (hashes.length != times.length) throw new IllegalArgumentException(hashes.length + " hashes, " + times.length + " times");
        long[] entries = new long[hashes.length]; // hash (high half, signed), time (low half): sorts by hash, then time
        for (int i = 0; i < entries.length; i++) {
            if (times[i] < 0) throw new IllegalArgumentException("negative time " + times[i]);
            entries[i] = (long) hashes[i] << 32 | times[i];
        }
        Arrays.sort(entries);
        int[] distinct = new int[entries.length];
        int h = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.length * 2 + 1);
        out.write(VERSION);
        for (int i = 0; i < entries.length; i++) {
            int hash = hashOf(entries[i]);
            boolean first = i == 0 || hash != hashOf(entries[i - 1]);
            if (first) distinct[h++] = hash;
            boolean more = i + 1 < entries.length && hashOf(entries[i + 1]) == hash;
            long value = first ? (int) entries[i] : (int) entries[i] - (int) entries[i - 1];
            writeVarint(out, value << 1 | (more ? 1 : 0));
        }
        return new PackedLandmarks(Arrays.copyOf(distinct, h), out.toByteArray());
    }

    static PackedLandmarks pack(Landmarks l) {
        return pack(l.hashes(), l.times());
    }

    /** The packed landmarks in columns {@code at} ({@code hashes}) and {@code at + 1} ({@code landmark_times}) of the row. */
    static PackedLandmarks read(ResultSet rs, int at) throws SQLException {
        Integer[] boxed = (Integer[]) rs.getArray(at).getArray();
        int[] hashes = new int[boxed.length];
        for (int i = 0; i < boxed.length; i++) hashes[i] = boxed[i];
        return new PackedLandmarks(hashes, rs.getBytes(at + 1));
    }

    /** Sets parameters {@code at} ({@code hashes}) and {@code at + 1} ({@code landmark_times}). */
    void bind(Connection c, PreparedStatement ps, int at) throws SQLException {
        ps.setArray(at, c.createArrayOf("integer", Arrays.stream(hashes).boxed().toArray()));
        ps.setBytes(at + 1, packedTimes);
    }

    /** Every landmark, in ascending time order (then hash). */
    Landmarks unpack(int frames) {
        long[] entries = new long[count()]; // time (high half), hash (low half): sorts by time, then hash
        int[] n = {0};
        forEach((hash, time) -> entries[n[0]++] = (long) time << 32 | (hash & 0xFFFFFFFFL));
        Arrays.sort(entries);
        int[] h = new int[entries.length];
        int[] t = new int[entries.length];
        for (int i = 0; i < entries.length; i++) {
            h[i] = (int) entries[i];
            t[i] = (int) (entries[i] >>> 32);
        }
        return new Landmarks(h, t, frames);
    }

    /** Adds this recording's postings of those of {@code wanted} (ascending, distinct) it holds to {@code out}. */
    void addPostings(String recordingId, int[] wanted, Map<Integer, List<Posting>> out) {
        boolean[] keep = new boolean[hashes.length]; // per hash group: is it wanted (a merge of two sorted lists)
        int any = 0;
        for (int i = 0, j = 0; i < hashes.length && j < wanted.length; ) {
            if (hashes[i] < wanted[j]) i++;
            else if (hashes[i] > wanted[j]) j++;
            else {
                keep[i++] = true;
                j++;
                any++;
            }
        }
        if (any == 0) return;
        forEachGroup((group, time) -> {
            if (keep[group]) out.computeIfAbsent(hashes[group], k -> new ArrayList<>()).add(new Posting(recordingId, time));
        });
    }

    /** Number of landmarks. */
    int count() {
        int[] n = {0};
        forEach((hash, time) -> n[0]++);
        return n[0];
    }

    private interface LandmarkConsumer {
        void accept(int hash, int time);
    }

    private interface GroupConsumer {
        void accept(int group, int time);
    }

    private void forEach(LandmarkConsumer consumer) {
        forEachGroup((group, time) -> consumer.accept(hashes[group], time));
    }

    /** Decodes every landmark in (hash, time) order; a malformed value fails loudly rather than yielding wrong postings. */
    private void forEachGroup(GroupConsumer consumer) {
        if (packedTimes.length == 0 || (packedTimes[0] & 0xFF) != VERSION) {
            throw new IllegalStateException("landmark_times: unknown version " + (packedTimes.length == 0 ? "(empty)" : packedTimes[0] & 0xFF));
        }
        int pos = 1;
        int h = -1;
        boolean more = false;
        int time = 0;
        while (pos < packedTimes.length) {
            long value = 0;
            int shift = 0;
            byte b;
            do {
                if (pos == packedTimes.length || shift > 35) throw new IllegalStateException("landmark_times: bad varint at byte " + pos);
                b = packedTimes[pos++];
                value |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            if (more) {
                time += (int) (value >>> 1);
            } else {
                if (++h == hashes.length) throw new IllegalStateException("landmark_times: more groups than the " + hashes.length + " hashes");
                time = (int) (value >>> 1);
            }
            more = (value & 1) == 1;
            consumer.accept(h, time);
        }
        if (more || h != hashes.length - 1) {
            throw new IllegalStateException("landmark_times: " + (h + 1) + " groups for " + hashes.length + " hashes");
        }
    }

    private static int hashOf(long entry) {
        return (int) (entry >> 32);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while (value >= 0x80) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
