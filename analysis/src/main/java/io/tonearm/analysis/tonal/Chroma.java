package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Feature;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.features.Spectrum;

import java.util.Arrays;

/**
 * Tuning-corrected chromagram of a recording, shared by the key and chord analyzers: one 12-value pitch-class
 * profile per frame (C = 0) plus the frame's energy, about 10.8 frames per second.
 *
 * <p>Method: the Harmonic Pitch Class Profile of Gómez (2006, "Tonal description of polyphonic audio for music
 * content processing", INFORMS J. Computing 18(3)), as Essentia's HPCP implements it. Spectral peaks of a
 * 4096-point STFT (5.4 Hz bins at 22050 Hz, peak frequencies refined by parabolic interpolation of the
 * log-magnitude) between {@value #MIN_HZ} and {@value #MAX_HZ} Hz each add their linear magnitude to the pitch
 * class they fall on, through a cos² window one semitone wide. Overtones: HPCP's option of also crediting each
 * peak's sub-harmonics f/2..f/4 was measured and left out: it put a ghost fourth below every note of a real piano
 * recording (0.24 of a lone C on F) for no gain on rendered cadences or progressions; the overtones of a note
 * (its fifth, 0.17 of a lone piano C) are left for the profile correlation and chord templates to absorb.
 * Magnitude rather than energy (Gómez's a²) weighting keeps soft chord tones visible beside a loud melody note.
 * Only {@link SpectralPeaks} standing 6 dB above their local floor (the geometric-mean magnitude within ±43 Hz)
 * count: without it broadband noise, whose spectrum is also full of local maxima,
 * buried the chords of a rendered progression at 0 dB SNR (majmin 0.09; 0.99 with it). Measured: 0, 6, 10, 15 dB
 * and ±6, ±8, ±12, ±24 bins; at 10 dB and more, noise-only frames became random chords instead of N.
 *
 * <p>Tuning is estimated first, as Essentia's TuningFrequency does: every peak's deviation from the 440 Hz
 * equal-tempered grid goes into a one-cent histogram (±50 cents) over the whole track. As the track streams
 * past only once, frames are kept at 1/3-semitone resolution until the end; the histogram's peak then shifts
 * every frame onto the tuned grid before it is folded to 12 classes (36 floats a frame while streaming, 12 after).
 */
public final class Chroma {

    /** 4096-point frames every 2048 samples at 22050 Hz: 186 ms windows, 10.77 frames per second. */
    public static final Feature<Spectrum> SPECTRUM = Spectrum.config(4096, 2048);

    /** The shared per-recording chromagram. */
    public static final Feature<Chroma> FEATURE = Chroma::new;

    static final double MIN_HZ = 50;
    static final double MAX_HZ = 3500;
    /** Peaks below this frequency are too coarsely resolved by 5.4 Hz bins to vote on tuning. */
    private static final double TUNING_MIN_HZ = 100;
    private static final int FINE = 3;                    // bins per semitone while streaming
    private static final int FINE_BINS = 12 * FINE;

    private final Spectrum spectrum;
    private final SpectralPeaks peaks;
    private final double[] tuningHistogram = new double[100]; // cents -50..49
    private float[] fine = new float[FINE_BINS * 1024];
    private float[] energy = new float[1024];
    private int frames;
    private long samples;
    private boolean ended;
    private float[] chroma;       // 12 per frame, after finishing
    private double tuningCents;

    private Chroma(RecordingContext recording) {
        spectrum = recording.feature(SPECTRUM);
        peaks = new SpectralPeaks(spectrum.size(), spectrum.binHz(1));
        spectrum.subscribe(new Spectrum.FrameListener() {
            @Override
            public void frame(float[] magnitude, long index) {
                addFrame(magnitude);
            }

            @Override
            public void end() {
                ended = true;
            }
        });
        recording.onAnalysisSignal(new SampleListener() {
            @Override
            public void samples(float[] block, int offset, int n) {
                samples += n;
            }
        });
    }

    /** Number of frames; frame {@code i} is centred at {@link #time(int) time(i)}. */
    public int frames() {
        finishIfNeeded();
        return frames;
    }

    public double frameRate() {
        return spectrum.frameRate();
    }

    /** Centre of frame {@code i} in seconds. */
    public double time(int frame) {
        return frame / spectrum.frameRate();
    }

    /** Duration of the analysis signal in seconds. */
    public double duration() {
        return samples / (double) RecordingContext.ANALYSIS_RATE;
    }

    /** Pitch-class energy of a frame ({@code pitchClass} 0 = C), on the tuned grid; not normalized. */
    public float value(int frame, int pitchClass) {
        finishIfNeeded();
        return chroma[frame * 12 + pitchClass];
    }

    /** Copies a frame's 12 values into {@code out}. */
    public void vector(int frame, float[] out) {
        finishIfNeeded();
        System.arraycopy(chroma, frame * 12, out, 0, 12);
    }

    /** Mean square of the frame's signal (1 = a full-scale square wave; a full-scale sine is 0.5). */
    public float energy(int frame) {
        finishIfNeeded();
        return energy[frame];
    }

    /** Estimated reference frequency of A4 in Hz. */
    public double tuningFrequency() {
        finishIfNeeded();
        return 440 * Math.pow(2, tuningCents / 1200);
    }

    /** Deviation of the tuning from A4 = 440 Hz in cents, within ±50. */
    public double tuningCents() {
        finishIfNeeded();
        return tuningCents;
    }

    private void addFrame(float[] magnitude) {
        if (frames == energy.length) {
            energy = Arrays.copyOf(energy, frames * 2);
            fine = Arrays.copyOf(fine, frames * 2 * FINE_BINS);
        }
        int size = spectrum.size();
        double sumSquares = 0;
        for (float m : magnitude) sumSquares += m * (double) m;
        // Parseval with the Hann window's energy (3/8 of size): mean square of the frame's signal
        energy[frames] = (float) (2 * sumSquares / (size * 0.375 * size));

        int base = frames * FINE_BINS;
        peaks.find(magnitude, MIN_HZ, MAX_HZ, (hz, amplitude) -> addPeak(base, hz, amplitude));
        frames++;
    }

    /** Adds one spectral peak's magnitude to the frame's fine profile and its deviation to the tuning histogram. */
    private void addPeak(int base, double hz, double weight) {
        double semitones = 12 * Math.log(hz / 440) / Math.log(2) + 9; // C = 0 relative to A4 = 440 Hz
        if (hz >= TUNING_MIN_HZ) {
            double deviation = semitones - Math.rint(semitones);        // -0.5..0.5
            int cent = (int) Math.floor(deviation * 100 + 50);
            tuningHistogram[Math.min(99, Math.max(0, cent))] += weight;
        }
        double x = semitones * FINE;                                       // position in fine bins
        for (int j = (int) Math.ceil(x - FINE / 2.0); j <= x + FINE / 2.0; j++) {
            double d = (j - x) / FINE;                                     // distance in semitones, |d| <= 0.5
            double cos = Math.cos(Math.PI * d);
            fine[base + Math.floorMod(j, FINE_BINS)] += (float) (weight * cos * cos);
        }
    }

    private void finishIfNeeded() {
        if (chroma != null) return;
        if (!ended) throw new IllegalStateException("the chromagram is complete only after the recording has ended");
        tuningCents = TuningEstimate.cents(tuningHistogram);
        chroma = new float[frames * 12];
        double shift = tuningCents / 100 * FINE;                           // in fine bins
        for (int i = 0; i < frames; i++) {
            int base = i * FINE_BINS;
            for (int pc = 0; pc < 12; pc++) {
                double sum = 0;
                for (int j = -(FINE / 2); j <= FINE / 2; j++) sum += interpolate(base, pc * FINE + j + shift);
                chroma[i * 12 + pc] = (float) sum;
            }
        }
        fine = null;
        energy = Arrays.copyOf(energy, frames);
    }

    private double interpolate(int base, double x) {
        int i = (int) Math.floor(x);
        double t = x - i;
        return (1 - t) * fine[base + Math.floorMod(i, FINE_BINS)] + t * fine[base + Math.floorMod(i + 1, FINE_BINS)];
    }
}
