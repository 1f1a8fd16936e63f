package io.tonearm.analysis.transcription;

import io.tonearm.analysis.output.OutputRef;

import java.util.List;

/**
 * Notes of a polyphonic transcription, in onset order (then pitch).
 *
 * @param midi the same notes as a Standard MIDI File in the run's output store; null when the run keeps no
 *             output files (the notes are still here)
 */
public record TranscriptionResult(List<TranscribedNote> notes, int noteCount, OutputRef midi) {
}
