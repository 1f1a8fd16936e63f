package io.tonearm.analysis.mastering;

/**
 * The EQ curve that moves an input's long-term spectrum toward a reference's: per third-octave band, reference
 * minus input after matching overall level (the mean difference is removed, so the curve changes balance, not
 * loudness), smoothed over neighbouring bands (1/4, 1/2, 1/4) so a single band's peculiarity is not chased,
 * clamped to ±{@value #MAX_GAIN_DB} dB and scaled by the strength. Bands where either signal is ~silent (more than
 * {@value #FLOOR_DB} dB under its loudest band, e.g. above a codec's low-pass) get no gain and do not count.
 */
final class TonalBalance {

    static final double MAX_GAIN_DB = 6.0;
    static final double FLOOR_DB = 60.0;

    private final ThirdOctaveBands bands;
    private final double[] gainsDb;
    private final boolean[] used;

    private TonalBalance(ThirdOctaveBands bands, double[] gainsDb, boolean[] used) {
        this.bands = bands;
        this.gainsDb = gainsDb;
        this.used = used;
    }

    static TonalBalance between(LongTermSpectrum input, LongTermSpectrum reference, double strength) {
        ThirdOctaveBands bands = ThirdOctaveBands.upTo(0.45 * Math.min(input.sampleRate(), reference.sampleRate()));
        double[] in = input.bandsDb(bands);
        double[] ref = reference.bandsDb(bands);
        boolean[] used = usable(in, ref);
        double[] diff = levelMatchedDifference(in, ref, used);
        int n = bands.size();
        double[] gains = new double[n];
        for (int b = 0; b < n; b++) {
            if (!used[b]) continue;
            double sum = 0.5 * diff[b];
            double weight = 0.5;
            if (b > 0 && used[b - 1]) {
                sum += 0.25 * diff[b - 1];
                weight += 0.25;
            }
            if (b + 1 < n && used[b + 1]) {
                sum += 0.25 * diff[b + 1];
                weight += 0.25;
            }
            gains[b] = strength * Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, sum / weight));
        }
        return new TonalBalance(bands, gains, used);
    }

    /**
     * Root-mean-square of the level-matched band differences between {@code signal} and {@code reference} over the
     * bands this balance uses, in dB: 0 when the two spectra have the same shape.
     */
    double distanceDb(LongTermSpectrum signal, LongTermSpectrum reference) {
        double[] d = levelMatchedDifference(signal.bandsDb(bands), reference.bandsDb(bands), used);
        double sum = 0;
        int count = 0;
        for (int b = 0; b < d.length; b++) {
            if (used[b]) {
                sum += d[b] * d[b];
                count++;
            }
        }
        return count == 0 ? 0 : Math.sqrt(sum / count);
    }

    /** Reference minus signal per band, minus their mean over the used bands (0 for unused bands). */
    static double[] levelMatchedDifference(double[] signal, double[] reference, boolean[] used) {
        double[] d = new double[signal.length];
        double mean = 0;
        int count = 0;
        for (int b = 0; b < d.length; b++) {
            if (used[b]) {
                d[b] = reference[b] - signal[b];
                mean += d[b];
                count++;
            }
        }
        if (count > 0) mean /= count;
        for (int b = 0; b < d.length; b++) d[b] = used[b] ? d[b] - mean : 0;
        return d;
    }

    private static boolean[] usable(double[] in, double[] ref) {
        double inMax = max(in);
        double refMax = max(ref);
        boolean[] used = new boolean[in.length];
        for (int b = 0; b < in.length; b++) used[b] = in[b] > inMax - FLOOR_DB && ref[b] > refMax - FLOOR_DB;
        return used;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    ThirdOctaveBands bands() {
        return bands;
    }

    double[] gainsDb() {
        return gainsDb.clone();
    }

    /** True when no band needs changing (strength 0, or spectra already alike to a hundredth of a dB). */
    boolean isFlat() {
        for (double g : gainsDb) if (Math.abs(g) >= 0.005) return false;
        return true;
    }
}
