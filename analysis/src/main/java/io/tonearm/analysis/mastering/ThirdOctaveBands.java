package io.tonearm.analysis.mastering;

import java.util.ArrayList;
import java.util.List;

/**
 * The base-2 third-octave bands of IEC 61260 (centres 1000·2^(k/3) Hz, 25 Hz to 20 kHz), cut at 0.45 of the lower
 * of two sample rates so every band is fully inside both signals.
 */
final class ThirdOctaveBands {

    private final double[] centres;

    private ThirdOctaveBands(double[] centres) {
        this.centres = centres;
    }

    static ThirdOctaveBands upTo(double nyquistLimitHz) {
        List<Double> c = new ArrayList<>();
        for (int k = -16; k <= 13; k++) {
            double f = 1000 * Math.pow(2, k / 3.0);
            if (f * Math.pow(2, 1 / 6.0) <= nyquistLimitHz) c.add(f);
        }
        return new ThirdOctaveBands(c.stream().mapToDouble(Double::doubleValue).toArray());
    }

    int size() {
        return centres.length;
    }

    double centre(int band) {
        return centres[band];
    }

    double lower(int band) {
        return centres[band] * Math.pow(2, -1 / 6.0);
    }

    double upper(int band) {
        return centres[band] * Math.pow(2, 1 / 6.0);
    }
}
