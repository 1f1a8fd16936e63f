package io.tonearm.analysis.fingerprint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where landmarks are looked up by hash: an inverted index hash → postings. {@link InMemoryFingerprintIndex} serves
 * tests and the CLI; the pipeline's store is a table (hash int4, recording, time int4) indexed on hash, which
 * answers {@link #lookupAll} with one {@code WHERE hash = ANY(?)} query per batch instead of one per hash.
 */
public interface FingerprintIndex {

    /** Indexes a recording's landmarks (all computed with the same format, {@value Landmarks#FORMAT}). */
    void add(String recordingId, Landmarks landmarks);

    /** Every posting of one hash; empty when unknown. */
    List<Posting> lookup(int hash);

    /** The postings of many hashes at once (a query's distinct hashes); hashes with none may be left out. */
    default Map<Integer, List<Posting>> lookupAll(int[] hashes) {
        Map<Integer, List<Posting>> out = new HashMap<>();
        for (int h : hashes) {
            if (out.containsKey(h)) continue;
            List<Posting> postings = lookup(h);
            if (!postings.isEmpty()) out.put(h, postings);
        }
        return out;
    }
}
