package io.tonearm.analysis.tonal;

import java.util.List;

/**
 * The global key of a recording.
 *
 * @param key             tonic, spelled {@code C C# D Eb E F F# G Ab A Bb B}; null when the recording has no
 *                        pitched content at all (digital silence)
 * @param mode            {@code "major"} or {@code "minor"}; null with {@code key}
 * @param keyCamelot      Camelot wheel code, e.g. {@code "8B"} for C major, {@code "8A"} for A minor
 * @param confidence      0..1: the winning profile correlation, scaled down when the margin over the best
 *                        non-neighbouring key is small or the pitch-class profile is nearly flat (noise)
 * @param score           Pearson correlation of the track's pitch-class profile with the winning key profile
 * @param alternatives    the next best keys, best first, with their relation to the winner
 * @param tuningFrequency estimated frequency of A4 in Hz
 * @param profile         the key profile used
 */
public record KeyResult(String key, String mode, String keyCamelot, double confidence, double score,
                        List<Alternative> alternatives, double tuningFrequency, String profile) {

    /**
     * Another candidate key.
     *
     * @param relation to the winning key: {@code relative}, {@code dominant} (a fifth up), {@code subdominant}
     *                 (a fifth down), {@code parallel} (same tonic, other mode) or {@code other}
     */
    public record Alternative(String key, String mode, double score, String relation) {
    }
}
