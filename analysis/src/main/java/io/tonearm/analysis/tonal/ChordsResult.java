package io.tonearm.analysis.tonal;

import java.util.List;

/**
 * Chord segments of a recording and a summary for search.
 *
 * @param chords  consecutive segments covering the recording, with Harte labels ({@code C:maj}, {@code A:min},
 *                {@code N} for no chord); roots spelled as {@link PitchClass} does
 * @param summary the most used chords (never {@code N}), longest total duration first
 */
public record ChordsResult(List<Segment> chords, List<Usage> summary) {

    /** One chord from {@code start} to {@code end}, in seconds. */
    public record Segment(double start, double end, String label) {
    }

    /** How long a chord sounds in total ({@code duration}, seconds) and in how many segments. */
    public record Usage(String label, double duration, int segments) {
    }
}
