package io.tonearm.analysis.transcription;

import java.util.List;

/**
 * One structure section and the notes that begin inside it.
 *
 * @param start seconds (3 decimals)
 * @param end   seconds (3 decimals)
 * @param label the section's repetition label (A, B, …), as {@code sections} gives it
 * @param notes notes whose onset lies in [start, end), times absolute (from the recording's start); a note that
 *              rings past the section's end keeps its real end
 */
public record TranscribedSegment(double start, double end, String label, List<TranscribedNote> notes) {
}
