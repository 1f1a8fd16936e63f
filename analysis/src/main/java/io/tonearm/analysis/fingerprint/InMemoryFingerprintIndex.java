package io.tonearm.analysis.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FingerprintIndex} in the heap, for tests and the command line: per hash, a packed array of
 * (recording number, time) pairs. Thread-safe.
 */
public final class InMemoryFingerprintIndex implements FingerprintIndex {

    private final Map<Integer, long[]> postings = new HashMap<>(); // slot 0 holds the count
    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<String> ids = new ArrayList<>();

    @Override
    public synchronized void add(String recordingId, Landmarks landmarks) {
        if (numbers.containsKey(recordingId)) throw new IllegalArgumentException("already indexed: " + recordingId);
        int number = ids.size();
        ids.add(recordingId);
        numbers.put(recordingId, number);
        for (int i = 0; i < landmarks.count(); i++) {
            long entry = (long) number << 32 | (landmarks.times()[i] & 0xFFFFFFFFL);
            long[] list = postings.computeIfAbsent(landmarks.hashes()[i], h -> new long[4]);
            int n = (int) list[0];
            if (n + 1 == list.length) postings.put(landmarks.hashes()[i], list = Arrays.copyOf(list, list.length * 2));
            list[n + 1] = entry;
            list[0] = n + 1;
        }
    }

    @Override
    public synchronized List<Posting> lookup(int hash) {
        long[] list = postings.get(hash);
        if (list == null) return List.of();
        int n = (int) list[0];
        List<Posting> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) out.add(new Posting(ids.get((int) (list[i] >>> 32)), (int) list[i]));
        return out;
    }

    public synchronized int recordings() {
        return ids.size();
    }
}
