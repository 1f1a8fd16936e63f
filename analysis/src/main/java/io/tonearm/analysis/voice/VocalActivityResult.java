package io.tonearm.analysis.voice;

import java.util.List;

/**
 * Where a voice is active.
 *
 * @param regions    voice regions in time order, not overlapping
 * @param vocalRatio share of the recording's duration inside {@code regions}, 0–1 (3 decimals)
 */
public record VocalActivityResult(List<VocalRegion> regions, double vocalRatio) {
}
