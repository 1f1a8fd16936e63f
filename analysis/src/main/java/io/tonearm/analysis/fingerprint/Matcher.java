package io.tonearm.analysis.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds which indexed recordings a query's landmarks come from (Wang 2003, section 2.3): every query landmark
 * whose hash occurs in a recording votes for the time difference (reference time − query time); a true match
 * piles its votes on one difference, chance collisions spread over all of them. A recording's score is the
 * largest number of votes within one difference ±1 frame (the query's frame grid falls anywhere within a hop of
 * the reference's); that difference is where the query starts in the reference.
 *
 * <p>A match must pass two thresholds: an absolute score, and a share of the query's landmarks (the
 * {@code confidence}). Chance alignments grow with the query's length, and music that shares material (the same
 * drum sound at the same tempo) aligns by more than chance: on FingerprintMatchTest's synthetic catalog, when all
 * tracks shared one drum kit, a 20 s query of an unknown track aligned 33 landmarks (1.2% of the query) with a
 * catalog track. True matches keep ≥ 3.5% through white noise at 10 dB SNR, so the share separates what the score
 * alone cannot. The price: a long query of which only a small part comes from an indexed recording (a DJ mix) is
 * not matched; query it in pieces.
 */
public final class Matcher {

    /**
     * Aligned landmarks needed to call a match. On FingerprintMatchTest's catalog chance alignments reach 16; on
     * FingerprintRecallTest's (tracks that share drum sounds) a 10 s query analysed on 4 grids aligns up to 27 (format
     * v1) or 29 (v2) landmarks with another track; a 5 s query on 4 grids still aligns 40 (v1) or 46 (v2) or more with
     * its own through white noise at 10 dB SNR. 25 let one v2 query through as a false match; 32 sits between.
     */
    public static final int DEFAULT_MIN_SCORE = 32;
    /** Share of the query's landmarks that must align: chance stays ≤ 0.012, true matches keep ≥ 0.035. */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.02;

    /**
     * @param recordingId   the matching recording
     * @param score         query landmarks aligned at the best offset
     * @param offsetSeconds where the query starts in the recording (negative if the query starts before it)
     * @param confidence    score as a fraction of the query's landmarks, 0..1
     */
    public record Match(String recordingId, int score, double offsetSeconds, double confidence) {
    }

    private final int minScore;
    private final double minConfidence;

    public Matcher(int minScore, double minConfidence) {
        if (minScore < 1) throw new IllegalArgumentException("minScore " + minScore);
        if (minConfidence < 0 || minConfidence > 1) throw new IllegalArgumentException("minConfidence " + minConfidence);
        this.minScore = minScore;
        this.minConfidence = minConfidence;
    }

    public static Matcher standard() {
        return new Matcher(DEFAULT_MIN_SCORE, DEFAULT_MIN_CONFIDENCE);
    }

    /** Every recording with at least one aligned landmark: for measuring, and for rules of their own ({@link NearDuplicate}). */
    public static Matcher unfiltered() {
        return new Matcher(1, 0);
    }

    /** The best {@code k} recordings passing both thresholds, best first. */
    public List<Match> match(Landmarks query, FingerprintIndex index, int k) {
        if (query.count() == 0) return List.of();
        Map<Integer, List<Posting>> postings = index.lookupAll(query.hashes());
        Map<String, Integer> numbers = new HashMap<>();
        List<String> ids = new ArrayList<>();
        long[] votes = new long[16];
        int n = 0;
        for (int i = 0; i < query.count(); i++) {
            List<Posting> hits = postings.get(query.hashes()[i]);
            if (hits == null) continue;
            for (Posting p : hits) {
                int number = numbers.computeIfAbsent(p.recordingId(), id -> {
                    ids.add(id);
                    return ids.size() - 1;
                });
                if (n == votes.length) votes = Arrays.copyOf(votes, n * 2);
                // recording in the high half, time difference (offset to keep it positive) in the low half
                votes[n++] = (long) number << 32 | (p.time() - query.times()[i] + (1L << 31));
            }
        }
        Arrays.sort(votes, 0, n);
        List<Match> matches = new ArrayList<>();
        for (int start = 0; start < n; ) {
            int end = start;
            while (end < n && votes[end] >>> 32 == votes[start] >>> 32) end++;
            Match m = best(ids.get((int) (votes[start] >>> 32)), votes, start, end, query.count());
            if (m.score() >= minScore && m.confidence() >= minConfidence) matches.add(m);
            start = end;
        }
        matches.sort(Comparator.comparingInt(Match::score).reversed().thenComparing(Match::recordingId));
        return matches.size() > k ? List.copyOf(matches.subList(0, k)) : matches;
    }

    /** The best ±1-frame window of one recording's sorted votes. */
    private static Match best(String id, long[] votes, int start, int end, int queryCount) {
        int bestScore = 0;
        double bestOffset = 0;
        int lo = start;
        int hi = start;
        for (int i = start; i < end; ) {
            long diff = diff(votes[i]);
            while (diff(votes[lo]) < diff - 1) lo++;
            while (hi < end && diff(votes[hi]) <= diff + 1) hi++;
            if (hi - lo > bestScore) {
                bestScore = hi - lo;
                double sum = 0;
                for (int j = lo; j < hi; j++) sum += diff(votes[j]);
                bestOffset = sum / bestScore;
            }
            while (i < end && diff(votes[i]) == diff) i++;
        }
        double seconds = Math.round(bestOffset / Landmarks.FRAME_RATE * 1000) / 1000.0;
        return new Match(id, bestScore, seconds, Math.min(1.0, bestScore / (double) queryCount));
    }

    private static long diff(long vote) {
        return (vote & 0xFFFFFFFFL) - (1L << 31);
    }
}
