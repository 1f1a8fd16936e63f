package io.tonearm.analysis.pitch;

/**
 * Frames quieter than {@value #FLOOR_DBFS} dBFS RMS carry no pitch worth reporting: digital silence and dither.
 * Both trackers gate on it, because YIN's normalised difference and CREPE's per-frame normalisation both
 * amplify such frames to full scale.
 */
final class Silence {

    static final double FLOOR_DBFS = -70;
    private static final double FLOOR_POWER = Math.pow(10, FLOOR_DBFS / 10);

    private Silence() {
    }

    static boolean isSilent(float[] frame) {
        double sum = 0;
        for (float v : frame) sum += v * v;
        return sum / frame.length < FLOOR_POWER;
    }
}
