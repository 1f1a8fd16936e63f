package io.tonearm.analysis.pitch;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One frame of the contour, serialized compactly as {@code [t, f0_hz_or_null, confidence]}: time of the frame
 * centre in seconds (3 decimals), f0 in Hz (2 decimals) or null when unvoiced, confidence in [0, 1] (2 decimals).
 * Confidence is YIN's periodicity {@code 1 − d'(τ)} (0 when YIN found no dip below its threshold) or CREPE's
 * peak probability (kept for unvoiced frames too); 0 for frames below the silence floor.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"t", "f0Hz", "confidence"})
public record ContourPoint(double t, Double f0Hz, double confidence) {

    public boolean voiced() {
        return f0Hz != null;
    }
}
