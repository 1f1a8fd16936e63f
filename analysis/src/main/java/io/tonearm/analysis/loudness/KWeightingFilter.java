package io.tonearm.analysis.loudness;

/**
 * The K-weighting of ITU-R BS.1770-4 for one channel: the high-frequency shelf ("pre-filter") followed by the
 * RLB high-pass, as two biquads in double precision. BS.1770 tabulates coefficients for 48 kHz only; like
 * libebur128 ({@code ebur128_init_filter}) we re-derive them for any sample rate by the bilinear transform of
 * the analogue prototypes (shelf: f0 1681.97 Hz, gain 4.0 dB, Q 0.7072; high-pass: f0 38.135 Hz, Q 0.5003),
 * which reproduces the 48 kHz table to 1e-8.
 */
final class KWeightingFilter {

    /** Normalized biquad coefficients (a0 = 1) of both stages, shared by every channel of a recording. */
    record Coefficients(double sb0, double sb1, double sb2, double sa1, double sa2, double ha1, double ha2) {

        static Coefficients forRate(double sampleRate) {
            double f0 = 1681.974450955533;
            double gainDb = 3.999843853973347;
            double q = 0.7071752369554196;
            double k = Math.tan(Math.PI * f0 / sampleRate);
            double vh = Math.pow(10.0, gainDb / 20.0);
            double vb = Math.pow(vh, 0.4996667741545416);
            double a0 = 1.0 + k / q + k * k;
            double sb0 = (vh + vb * k / q + k * k) / a0;
            double sb1 = 2.0 * (k * k - vh) / a0;
            double sb2 = (vh - vb * k / q + k * k) / a0;
            double sa1 = 2.0 * (k * k - 1.0) / a0;
            double sa2 = (1.0 - k / q + k * k) / a0;

            double hf0 = 38.13547087602444;
            double hq = 0.5003270373238773;
            double hk = Math.tan(Math.PI * hf0 / sampleRate);
            double ha0 = 1.0 + hk / hq + hk * hk;
            double ha1 = 2.0 * (hk * hk - 1.0) / ha0;
            double ha2 = (1.0 - hk / hq + hk * hk) / ha0;
            return new Coefficients(sb0, sb1, sb2, sa1, sa2, ha1, ha2);
        }
    }

    private static final double DENORMAL_GUARD = 1e-25;

    private final double sb0, sb1, sb2, sa1, sa2, ha1, ha2;
    // direct form I history: shelf input (x1, x2), shelf output = high-pass input (y1, y2), high-pass output (z1, z2)
    private double x1, x2, y1, y2, z1, z2;

    KWeightingFilter(Coefficients c) {
        sb0 = c.sb0();
        sb1 = c.sb1();
        sb2 = c.sb2();
        sa1 = c.sa1();
        sa2 = c.sa2();
        ha1 = c.ha1();
        ha2 = c.ha2();
    }

    /**
     * Filters {@code frames} samples of one channel of an interleaved buffer and returns the sum of squares of the
     * filtered signal (the numerator of BS.1770's mean square z_i). Direct form I keeps only one multiply-add on
     * each recursion's critical path, which is what bounds the speed of an IIR filter.
     */
    double sumOfSquares(float[] interleaved, int first, int stride, int frames) {
        double lx1 = x1, lx2 = x2, ly1 = y1, ly2 = y2, lz1 = z1, lz2 = z2;
        double sum = 0;
        for (int i = 0, p = first; i < frames; i++, p += stride) {
            double x = interleaved[p];
            double y = (sb0 * x + sb1 * lx1 + sb2 * lx2 - sa2 * ly2) - sa1 * ly1;
            // RLB high-pass numerator is (1, -2, 1)
            double z = (y - 2.0 * ly1 + ly2 - ha2 * lz2) - ha1 * lz1;
            lx2 = lx1;
            lx1 = x;
            ly2 = ly1;
            ly1 = y;
            lz2 = lz1;
            lz1 = z;
            sum += z * z;
        }
        // decaying state in silence would otherwise turn subnormal and slow every later sample down
        x1 = lx1;
        x2 = lx2;
        y1 = Math.abs(ly1) < DENORMAL_GUARD ? 0 : ly1;
        y2 = Math.abs(ly2) < DENORMAL_GUARD ? 0 : ly2;
        z1 = Math.abs(lz1) < DENORMAL_GUARD ? 0 : lz1;
        z2 = Math.abs(lz2) < DENORMAL_GUARD ? 0 : lz2;
        return sum;
    }
}
