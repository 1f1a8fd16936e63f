package io.tonearm.analysis.separation;

/**
 * Soft masks for drums, bass, vocals and other in one STFT frame; per bin they are non-negative and sum to 1,
 * so the masked stems add back to the mix exactly (mixture consistency).
 * <ul>
 *   <li>harmonic vs percussive: FitzGerald (2010), "Harmonic/percussive separation using median filtering": the
 *       median over time of the magnitude keeps sustained partials, the median over frequency keeps broadband
 *       transients; Wiener-like masks H²/(H²+P²) split every bin (drums = the percussive share). In the bass band the
 *       caller also counts the rise above the time median as percussive, since a kick there is too narrow for the
 *       frequency median;</li>
 *   <li>bass: the harmonic share below a raised-cosine crossover ({@value #BASS_FULL_HZ}–{@value #BASS_NONE_HZ} Hz);</li>
 *   <li>vocals, stereo: the centre-panned part of the remaining harmonic share, by the inter-channel similarity
 *       of Avendano &amp; Jot (2004), 2·Re(L·R*)/(|L|²+|R|²), sharpened by a power (with more than two
 *       channels, of the first two: front left and right in every common layout);</li>
 *   <li>vocals, mono: the part that does not repeat, as in REPET-SIM (Rafii &amp; Pardo 2012), with the
 *       repeating background modelled by the median magnitude over the surrounding ~1 s;</li>
 *   <li>other: what is left.</li>
 * </ul>
 */
final class StemMasks {

    static final double BASS_FULL_HZ = 150;
    static final double BASS_NONE_HZ = 250;
    /** Power on the centre similarity: 0.6 (a source panned 70/30) counts ~2 % as vocals, 0.95 counts ~60 %. */
    static final int CENTRE_SHARPNESS = 10;
    static final float TINY = 1e-12f;

    static final int DRUMS = 0;
    static final int BASS = 1;
    static final int VOCALS = 2;
    static final int OTHER = 3;

    private final float[] lowShare;

    StemMasks(int bins, int fftSize, int sampleRate) {
        lowShare = new float[bins];
        for (int b = 0; b < bins; b++) {
            double f = b * (double) sampleRate / fftSize;
            double x = (f - BASS_FULL_HZ) / (BASS_NONE_HZ - BASS_FULL_HZ);
            lowShare[b] = (float) (x <= 0 ? 1 : x >= 1 ? 0 : 0.5 * (1 + Math.cos(Math.PI * x)));
        }
    }

    /** Share of bin b that belongs to the bass band (1 below {@value #BASS_FULL_HZ} Hz, 0 above {@value #BASS_NONE_HZ} Hz). */
    float lowShare(int b) {
        return lowShare[b];
    }

    /**
     * @param harmonic   time-median magnitude per bin
     * @param percussive frequency-median magnitude per bin
     * @param vocalShare per bin, the share of the non-bass harmonic part that is vocals, in [0, 1]
     * @param masks      out: [stem][bin] for {@link #DRUMS}, {@link #BASS}, {@link #VOCALS}, {@link #OTHER}
     */
    void compute(float[] harmonic, float[] percussive, float[] vocalShare, float[][] masks) {
        for (int b = 0; b < lowShare.length; b++) {
            float h2 = harmonic[b] * harmonic[b];
            float p2 = percussive[b] * percussive[b];
            float sum = h2 + p2;
            float mh = sum > TINY ? h2 / sum : 0.5f;
            float high = mh * (1 - lowShare[b]);
            float vocals = high * vocalShare[b];
            masks[DRUMS][b] = 1 - mh;
            masks[BASS][b] = mh * lowShare[b];
            masks[VOCALS][b] = vocals;
            masks[OTHER][b] = high - vocals;
        }
    }

    /** Centre similarity of channels 0 and 1 per bin (JTransforms packed spectra), sharpened: stereo vocal share. */
    static void centreShare(float[] left, float[] right, float[] out) {
        int bins = out.length;
        int n = (bins - 1) * 2;
        out[0] = similarity(left[0], 0, right[0], 0);
        out[bins - 1] = similarity(left[1], 0, right[1], 0);
        for (int b = 1; b < bins - 1; b++) {
            out[b] = similarity(left[2 * b], left[2 * b + 1], right[2 * b], right[2 * b + 1]);
        }
        assert n == left.length;
    }

    private static float similarity(float lr, float li, float rr, float ri) {
        float energy = lr * lr + li * li + rr * rr + ri * ri;
        if (energy <= TINY) return 0;
        float s = 2 * (lr * rr + li * ri) / energy;
        return s <= 0 ? 0 : (float) Math.pow(s, CENTRE_SHARPNESS);
    }

    /** Mono vocal share: how far the magnitude rises above the repeating background, as a Wiener-like ratio. */
    static void foregroundShare(float[] magnitude, float[] background, float[] out) {
        for (int b = 0; b < out.length; b++) {
            float fg = Math.max(magnitude[b] - background[b], 0);
            float f2 = fg * fg;
            float sum = f2 + background[b] * background[b];
            out[b] = sum > TINY ? f2 / sum : 0;
        }
    }
}
