package io.tonearm.analysis.fingerprint;

import java.util.List;

/**
 * Whether two whole recordings are the same recording in different encodings (an mp3 of a FLAC, a re-rip). The
 * rule: matching one's landmarks against the other's, the aligned score divided by the smaller landmark count is
 * at least {@code minRatio}, the alignment is at offset ≈ 0 (|offset| ≤ {@code maxOffsetSeconds}: encoders add
 * at most tens of milliseconds of delay or padding) and the durations differ by at most
 * {@code maxDurationDifferenceSeconds}. An excerpt, an edit, a remaster with another intro or a live take fails
 * one of the three.
 */
public record NearDuplicate(double minRatio, double maxOffsetSeconds, double maxDurationDifferenceSeconds) {

    /**
     * A 64 kbps mp3 of a synthetic track keeps a ratio of about 0.6 against its source; different tracks stay below
     * 0.01 (FingerprintMatchTest).
     */
    public static final NearDuplicate STANDARD = new NearDuplicate(0.15, 0.25, 1.0);

    /** The judgement and the figures behind it. */
    public record Verdict(boolean duplicate, int score, double ratio, double offsetSeconds) {
    }

    /** Compares two recordings' full landmarks directly. */
    public Verdict compare(Landmarks candidate, Landmarks original) {
        InMemoryFingerprintIndex index = new InMemoryFingerprintIndex();
        index.add("original", original);
        List<Matcher.Match> matches = Matcher.unfiltered().match(candidate, index, 1);
        if (matches.isEmpty()) return new Verdict(false, 0, 0, 0);
        return judge(matches.get(0), candidate.count(), candidate.durationSeconds(), original.count(), original.durationSeconds());
    }

    /**
     * Judges a match found in the catalog's index (on ingest, the new recording queried as a whole), given both
     * recordings' landmark counts and durations.
     */
    public Verdict judge(Matcher.Match match, int candidateCount, double candidateSeconds, int originalCount, double originalSeconds) {
        int smaller = Math.min(candidateCount, originalCount);
        double ratio = smaller == 0 ? 0 : match.score() / (double) smaller;
        boolean duplicate = ratio >= minRatio
                && Math.abs(match.offsetSeconds()) <= maxOffsetSeconds
                && Math.abs(candidateSeconds - originalSeconds) <= maxDurationDifferenceSeconds;
        return new Verdict(duplicate, match.score(), Math.round(ratio * 1000) / 1000.0, match.offsetSeconds());
    }
}
