package io.tonearm.analysis.tonal;

import java.util.List;
import java.util.Locale;

/**
 * Key profiles: the expected weight of each pitch class relative to the tonic (index 0), for major and minor
 * keys. Values as published:
 * <ul>
 *   <li>{@link #KRUMHANSL}: Krumhansl &amp; Kessler (1982) probe-tone ratings;</li>
 *   <li>{@link #TEMPERLEY}: Temperley (1999), "What's key for key?", revised profiles;</li>
 *   <li>{@link #TEMPERLEY2005}: Temperley's Kostka-Payne corpus profiles (MIREX 2005);</li>
 *   <li>{@link #EDMA}: Faraldo et al. (2016), "Key estimation in electronic dance music", automatic profiles.</li>
 * </ul>
 */
public enum KeyProfile {
    KRUMHANSL(new double[]{6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88},
            new double[]{6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17}),
    TEMPERLEY(new double[]{5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0},
            new double[]{5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0}),
    TEMPERLEY2005(new double[]{0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400},
            new double[]{0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330}),
    EDMA(new double[]{0.1652, 0.0475, 0.0829, 0.0669, 0.0999, 0.0927, 0.0529, 0.1316, 0.0522, 0.0744, 0.0694, 0.0643},
            new double[]{0.1724, 0.0534, 0.0761, 0.1004, 0.0562, 0.0853, 0.0498, 0.1345, 0.0746, 0.0500, 0.0919, 0.0555});

    private final double[] major;
    private final double[] minor;

    KeyProfile(double[] major, double[] minor) {
        this.major = major;
        this.minor = minor;
    }

    /** Weight of pitch class {@code interval} semitones above the tonic. */
    double weight(boolean minorMode, int interval) {
        return (minorMode ? minor : major)[Math.floorMod(interval, 12)];
    }

    /** Lower-case name, as the {@code profile} parameter spells it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(KeyProfile::id).toList();
    }

    public static KeyProfile byId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
