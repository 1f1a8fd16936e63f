package io.tonearm.analysis.fingerprint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where landmarks are looked up by hash: an inverted index hash → postings. {@link InMemoryFingerprintIndex} serves
 * tests and the CLI and answers every posting. The pipeline's store, {@code PostgresFingerprintIndex} in
 * {@code sinks}, keeps one row per recording (its distinct hashes under a GIN index, its landmarks packed beside
 * them) and answers {@link #lookupAll} from the recordings that share the most hashes with the query: exact votes
 * for those, nothing for recordings that share few (docs/analysis.md, "Identification").
 */
public interface FingerprintIndex {

    /** Indexes a recording's landmarks (of one {@link LandmarkFormat}; formats mark their hashes, so several can share one index). */
    void add(String recordingId, Landmarks landmarks);

    /** Every posting of one hash; empty when unknown. */
    List<Posting> lookup(int hash);

    /**
     * The postings of many hashes at once (a query's distinct hashes); hashes with none may be left out. An index
     * may answer only for the recordings most likely to match the query as a whole (as PostgreSQL's does).
     */
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
