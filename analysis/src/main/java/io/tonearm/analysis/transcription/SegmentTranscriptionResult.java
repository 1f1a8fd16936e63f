package io.tonearm.analysis.transcription;

import io.tonearm.analysis.output.OutputRef;

import java.util.List;

/**
 * A transcription split by structure sections.
 *
 * @param segments  the sections in time order, each with its notes
 * @param noteCount notes over all segments
 * @param midi      one Standard MIDI File of all notes with a marker (FF 06, "A", "B", …) at each section's start;
 *                  null when the run keeps no output files
 */
public record SegmentTranscriptionResult(List<TranscribedSegment> segments, int noteCount, OutputRef midi) {
}
