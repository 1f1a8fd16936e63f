package io.tonearm.analysis.rhythm;

/** Small conversions shared by the rhythm analyzers. */
final class Rhythm {

    /**
     * Where, relative to a frame's centre, the onset that makes its flux peak lies: the flux of a centred 93 ms
     * window jumps before the sound's centre reaches it. Measured on synthesized clicks (see OnsetsAnalyzerTest).
     */
    static final double LATENCY_SECONDS = 0.023;

    private Rhythm() {
    }

    static double frameTime(double frame, double fps) {
        return Math.max(0, frame / fps + LATENCY_SECONDS);
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
