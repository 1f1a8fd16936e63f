package io.tonearm.analysis.voice;

/** A stretch of voice activity, in seconds (3 decimals). */
public record VocalRegion(double start, double end) {
}
