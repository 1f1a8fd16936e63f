package io.tonearm.analysis.fingerprint;

/**
 * The 32-bit hash of one landmark (Wang 2003): an anchor peak's frequency bin and the frequency difference and
 * time difference to one target peak, quantised to the spectrogram's own resolution (as audfprint does).
 * Layout, most significant bit first:
 * <pre>
 *   bits 31..20  the {@link LandmarkFormat}'s mark: 0 for wang-landmarks-v1, 1 for wang-landmarks-v2
 *   bits 19..12  f1: anchor bin, 1..255 (21.5 Hz bins, up to 5.5 kHz)
 *   bits 11..6   df: target bin − anchor bin, −31..31, two's complement in 6 bits
 *   bits  5..0   dt: target frame − anchor frame, 1..63 (23.2 ms frames)
 * </pre>
 * Absolute times never enter the hash: the anchor's frame index travels beside it, so an excerpt's hashes equal
 * the full recording's at the same musical moment.
 */
public final class LandmarkHash {

    static final int MAX_BIN = 255;
    static final int MAX_DF = 31;
    static final int MAX_DT = 63;

    private LandmarkHash() {
    }

    public static int of(int f1, int df, int dt) {
        if (f1 < 1 || f1 > MAX_BIN || Math.abs(df) > MAX_DF || dt < 1 || dt > MAX_DT) {
            throw new IllegalArgumentException("landmark out of range: f1=" + f1 + " df=" + df + " dt=" + dt);
        }
        return f1 << 12 | (df & 0x3F) << 6 | dt;
    }

    public static int f1(int hash) {
        return hash >>> 12 & 0xFF;
    }

    public static int df(int hash) {
        return (hash >>> 6 & 0x3F) << 26 >> 26;
    }

    public static int dt(int hash) {
        return hash & 0x3F;
    }
}
