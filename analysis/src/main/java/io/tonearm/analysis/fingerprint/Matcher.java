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
        // one vote per (query landmark, posting) pair: the recording's number and the time difference
        int[] recordingOf = new int[16];
        int[] differences = new int[16];
        int n = 0;
        for (int i = 0; i < query.count(); i++) {
            List<Posting> hits = postings.get(query.hashes()[i]);
            if (hits == null) continue;
            for (Posting p : hits) {
                int number = numbers.computeIfAbsent(p.recordingId(), id -> {
                    ids.add(id);
                    return ids.size() - 1;
                });
                if (n == recordingOf.length) {
                    recordingOf = Arrays.copyOf(recordingOf, n * 2);
                    differences = Arrays.copyOf(differences, n * 2);
                }
                recordingOf[n] = number;
                differences[n++] = p.time() - query.times()[i];
            }
        }
        // grouped by recording in linear time (the numbers are dense), not by sorting every vote
        int[] from = new int[ids.size() + 1];
        for (int j = 0; j < n; j++) from[recordingOf[j] + 1]++;
        for (int r = 0; r < ids.size(); r++) from[r + 1] += from[r];
        int[] grouped = new int[n];
        int[] next = Arrays.copyOf(from, ids.size());
        for (int j = 0; j < n; j++) grouped[next[recordingOf[j]]++] = differences[j];
        List<Match> matches = new ArrayList<>();
        for (int r = 0; r < ids.size(); r++) {
            Match m = best(ids.get(r), grouped, from[r], from[r + 1], query.count());
            if (m.score() >= minScore && m.confidence() >= minConfidence) matches.add(m);
        }
        matches.sort(Comparator.comparingInt(Match::score).reversed().thenComparing(Match::recordingId));
        return matches.size() > k ? List.copyOf(matches.subList(0, k)) : matches;
    }

    /**
     * The best ±1-frame window of one recording's time differences, {@code d[start..end)}: the first (smallest)
     * difference whose window holds the most votes. Counted in a histogram when the differences are dense, as
     * between whole tracks that share most landmarks (the near-duplicate check, where sorting millions of votes was
     * most of the index writer's time); sorted when they are sparse, as for chance collisions.
     */
    private static Match best(String id, int[] d, int start, int end, int queryCount) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = start; i < end; i++) {
            min = Math.min(min, d[i]);
            max = Math.max(max, d[i]);
        }
        long span = (long) max - min + 1;
        Window w = span <= 4L * (end - start) + 64 ? bestInHistogram(d, start, end, min, (int) span) : bestInSorted(d, start, end);
        double seconds = Math.round(w.offset / Landmarks.FRAME_RATE * 1000) / 1000.0;
        return new Match(id, w.score, seconds, Math.min(1.0, w.score / (double) queryCount));
    }

    private record Window(int score, double offset) {
    }

    private static Window bestInHistogram(int[] d, int start, int end, int min, int span) {
        int[] count = new int[span + 2]; // count[k] votes for difference min - 1 + k: room for d - 1 and d + 1
        for (int i = start; i < end; i++) count[d[i] - min + 1]++;
        int bestScore = 0;
        double bestOffset = 0;
        for (int k = 1; k <= span; k++) {
            if (count[k] == 0) continue;
            int score = count[k - 1] + count[k] + count[k + 1];
            if (score > bestScore) {
                bestScore = score;
                long difference = (long) min - 1 + k;
                long sum = (difference - 1) * count[k - 1] + difference * count[k] + (difference + 1) * count[k + 1];
                bestOffset = sum / (double) score;
            }
        }
        return new Window(bestScore, bestOffset);
    }

    private static Window bestInSorted(int[] d, int start, int end) {
        Arrays.sort(d, start, end);
        int bestScore = 0;
        double bestOffset = 0;
        int lo = start;
        int hi = start;
        for (int i = start; i < end; ) {
            long diff = d[i];
            while (d[lo] < diff - 1) lo++;
            while (hi < end && d[hi] <= diff + 1) hi++;
            if (hi - lo > bestScore) {
                bestScore = hi - lo;
                long sum = 0;
                for (int j = lo; j < hi; j++) sum += d[j];
                bestOffset = sum / (double) bestScore;
            }
            while (i < end && d[i] == diff) i++;
        }
        return new Window(bestScore, bestOffset);
    }
}
