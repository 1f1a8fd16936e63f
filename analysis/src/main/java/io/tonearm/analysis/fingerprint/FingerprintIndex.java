package io.tonearm.analysis.fingerprint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where landmarks are looked up by hash: an inverted index hash → postings. {@link InMemoryFingerprintIndex} serves
 * tests and the CLI. The pipeline's store is a table {@code (hash int4, recording, time int4)} with a btree index
 * on hash (postings of one hash are read together: CLUSTER on it, or keep (hash, recording, time) as the index so
 * lookups are index-only), written in one COPY per recording and deleted by recording when it is re-analysed
 * under a new format; {@link #lookupAll} is one {@code WHERE hash = ANY(?)} query per batch of a query's distinct
 * hashes instead of one per hash. Size: ≈ 58 landmarks per indexed second, 12 bytes of payload each (≈ 40 with
 * PostgreSQL's tuple and index overhead): ≈ 0.4 GB per 1000 tracks of 3 minutes.
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
