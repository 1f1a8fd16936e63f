package io.tonearm.analysis.transcription;

/**
 * One transcribed note.
 *
 * @param start     onset in seconds (3 decimals)
 * @param end       offset in seconds (3 decimals)
 * @param pitch     MIDI note number (21 = A0 … 108 = C8)
 * @param velocity  MIDI velocity, {@code round(127 · amplitude)}, at least 1
 * @param amplitude mean note activation over the note, 0–1 (3 decimals)
 */
public record TranscribedNote(double start, double end, int pitch, int velocity, double amplitude) {
}
