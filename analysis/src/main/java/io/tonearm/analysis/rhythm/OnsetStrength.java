package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.Feature;
import io.tonearm.analysis.features.Spectrum;

import java.util.Arrays;

/**
 * Onset strength envelope: SuperFlux (Böck &amp; Widmer, "Maximum filter vibrato suppression for onset
 * detection", DAFx 2013): a log-compressed spectrogram on a logarithmic filterbank (24 bands per octave, merged
 * to single bins where bands are narrower than a bin, as madmom does), and the positive difference between each
 * band and the maximum of its neighbouring bands one frame earlier, summed over bands. One value per
 * {@link Spectrum#STANDARD} frame (43 fps), plus the same flux restricted to the bands below {@value #LOW_HZ} Hz,
 * which tells kick drums and bass notes (bar accents) apart.
 *
 * <p>Computed once per recording and shared by {@code onsets}, {@code bpm} and {@code beatgrid}; it holds two
 * floats per frame (1.2 MB for an hour), never the spectrogram.
 */
public final class OnsetStrength {

    /** On {@link Spectrum#STANDARD}: 2048/512 at 22050 Hz. */
    public static final Feature<OnsetStrength> STANDARD = recording -> new OnsetStrength(recording.feature(Spectrum.STANDARD));

    static final int BANDS_PER_OCTAVE = 24;
    static final double MIN_HZ = 30, MAX_HZ = 11025, LOW_HZ = 150;
    /** Log compression log10(1 + GAIN * m), a full-scale sine scaled to 1: a ~60 dB range; quieter detail adds no flux. */
    private static final double GAIN = 1e3;

    private final double frameRate;
    private final LogBands filterbank;
    private final int bands;
    private final int lowBands;
    private final float gain;
    private float[] previous;
    private float[] current;
    private float[] flux = new float[4096];
    private float[] lowFlux = new float[4096];
    private int frames;

    private OnsetStrength(Spectrum spectrum) {
        this.frameRate = spectrum.frameRate();
        this.filterbank = new LogBands(spectrum.size() / 2, spectrum.binHz(1), BANDS_PER_OCTAVE, MIN_HZ, MAX_HZ);
        this.bands = filterbank.bands();
        this.lowBands = filterbank.bandsBelow(LOW_HZ);
        this.gain = (float) (GAIN / (spectrum.size() / 4.0));
        this.current = new float[bands];
        spectrum.subscribe(this::frame);
    }

    private void frame(float[] magnitude, long index) {
        filterbank.apply(magnitude, current);
        for (int b = 0; b < bands; b++) current[b] = (float) Math.log10(1 + gain * current[b]);
        float all = 0, low = 0;
        if (previous != null) {
            for (int b = 0; b < bands; b++) {
                // SuperFlux: compare against the max of the neighbouring bands one frame earlier (vibrato suppression)
                float ref = previous[b];
                if (b > 0) ref = Math.max(ref, previous[b - 1]);
                if (b < bands - 1) ref = Math.max(ref, previous[b + 1]);
                float d = current[b] - ref;
                if (d > 0) {
                    all += d;
                    if (b < lowBands) low += d;
                }
            }
        } else {
            previous = new float[bands];
        }
        append(all, low);
        float[] t = previous;
        previous = current;
        current = t;
    }

    private void append(float all, float low) {
        if (frames == flux.length) {
            flux = Arrays.copyOf(flux, frames * 2);
            lowFlux = Arrays.copyOf(lowFlux, frames * 2);
        }
        flux[frames] = all;
        lowFlux[frames] = low;
        frames++;
    }

    /** Frames per second of the envelope. */
    public double frameRate() {
        return frameRate;
    }

    public int frames() {
        return frames;
    }

    /** The full-band envelope, one value per frame; frame i is centred at i / frameRate seconds. Valid after the recording ends. */
    public float[] strength() {
        return Arrays.copyOf(flux, frames);
    }

    /** The flux of the bands below {@value #LOW_HZ} Hz (kick drum, bass), one value per frame. */
    public float[] lowStrength() {
        return Arrays.copyOf(lowFlux, frames);
    }
}
