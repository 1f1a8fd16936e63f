package io.tonearm.analysis.fingerprint;

/** One occurrence of a hash: the recording and the anchor's frame index in it. */
public record Posting(String recordingId, int time) {
}
