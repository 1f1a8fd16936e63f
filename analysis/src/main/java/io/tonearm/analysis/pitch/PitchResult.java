package io.tonearm.analysis.pitch;

import java.util.List;

/**
 * Predominant f0 contour and its summary. {@code contour} has one point per hop, {@code [t, f0_or_null,
 * confidence]}; the statistics are over voiced frames only and null when nothing is voiced.
 *
 * @param method          "yin" or "crepe"
 * @param hopSeconds      spacing of the contour points
 * @param contour         one point per hop, frame i centred at {@code i * hop_seconds}
 * @param medianHz        median voiced f0
 * @param meanHz          mean voiced f0 (arithmetic, in Hz)
 * @param minHz           lowest voiced f0 after smoothing
 * @param maxHz           highest voiced f0 after smoothing
 * @param rangeSemitones  12·log2(max/min)
 * @param voicedFraction  voiced frames / all frames
 * @param medianMidi      MIDI number of the median f0 (fractional, A4 = 69)
 * @param medianNote      nearest note name of the median, e.g. "A4"
 */
public record PitchResult(String method, double hopSeconds, List<ContourPoint> contour,
                          Double medianHz, Double meanHz, Double minHz, Double maxHz, Double rangeSemitones,
                          double voicedFraction, Double medianMidi, String medianNote) {
}
