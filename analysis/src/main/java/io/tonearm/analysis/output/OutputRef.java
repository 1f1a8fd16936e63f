package io.tonearm.analysis.output;

/**
 * A file an analyzer produced (a MIDI file, a stem, a mastered mix), stored content-addressed. Results carry these
 * references, never the bytes.
 *
 * @param name      the analyzer's name for it, e.g. {@code vocals.flac} or {@code transcription.mid}
 * @param location  where the store put it (a file URI for the directory store)
 */
public record OutputRef(String name, String mediaType, String sha256, long sizeBytes, String location) {
}
