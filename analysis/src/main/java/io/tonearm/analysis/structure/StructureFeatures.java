package io.tonearm.analysis.structure;

import io.tonearm.analysis.Feature;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.features.Spectrum;
import io.tonearm.analysis.tonal.Chroma;

import java.util.Arrays;

/**
 * The compact feature sequence structure analysis works on: harmony (the shared tuned {@link Chroma}) and timbre
 * ({@link MelCepstrum} of the same 4096-point spectrum, so no extra FFT) averaged over blocks of
 * {@value #BLOCK} chroma frames, i.e. 0.46 s, ≈ 2.15 frames per second. A 60-minute recording is ≈ 7 800 frames of
 * 12 + 40 floats while streaming (≈ 1.6 MB); no self-similarity matrix is ever stored whole.
 *
 * <p>After the recording ends each frame is reduced to two unit vectors: the L2-normalised chroma, and the
 * cepstrum standardised per coefficient over the recording (z-scores, so each coefficient weighs alike) then
 * L2-normalised. {@link #similarity} is the mean of their cosines; a silent frame has zero chroma and matches
 * nothing harmonically.
 */
final class StructureFeatures {

    /** Shared per recording: {@code sections} and {@code segment-transcribe} together compute it once. */
    static final Feature<StructureFeatures> FEATURE = StructureFeatures::new;

    static final int BLOCK = 5;
    private static final int CHROMA = 12;
    private static final int TIMBRE = MelCepstrum.COEFFICIENTS;
    /** Mean square below −70 dB of a full-scale square wave: no pitch classes worth comparing. */
    private static final double SILENT = 1e-7;

    private final Chroma chroma;
    private final Spectrum spectrum;
    private final MelCepstrum mel;
    private final double[] blockMel = new double[MelCepstrum.BANDS];
    private int inBlock;
    private float[] logMel = new float[MelCepstrum.BANDS * 256];
    private int blocks;

    private float[] harmony;   // frames × 12, unit (or zero) vectors
    private float[] timbre;    // frames × 13, unit vectors
    private int frames;

    private StructureFeatures(RecordingContext recording) {
        chroma = recording.feature(Chroma.FEATURE);
        spectrum = recording.feature(Chroma.SPECTRUM);
        mel = new MelCepstrum(spectrum.bins(), spectrum.binHz(1), spectrum.size() / 4.0);
        spectrum.subscribe(new Spectrum.FrameListener() {
            @Override
            public void frame(float[] magnitude, long index) {
                mel.addLogMel(magnitude, blockMel);
                if (++inBlock == BLOCK) closeBlock();
            }

            @Override
            public void end() {
                if (inBlock > 0) closeBlock();
            }
        });
    }

    private void closeBlock() {
        if ((blocks + 1) * MelCepstrum.BANDS > logMel.length) logMel = Arrays.copyOf(logMel, logMel.length * 2);
        for (int b = 0; b < MelCepstrum.BANDS; b++) {
            logMel[blocks * MelCepstrum.BANDS + b] = (float) (blockMel[b] / inBlock);
            blockMel[b] = 0;
        }
        inBlock = 0;
        blocks++;
    }

    /** Number of coarse frames. */
    int frames() {
        build();
        return frames;
    }

    /** Length of one frame in seconds (≈ 0.464). */
    double frameSeconds() {
        return BLOCK / chroma.frameRate();
    }

    /** Time in seconds where frame {@code i} begins (frame 0 begins at 0). */
    double time(int i) {
        return i == 0 ? 0 : (i * BLOCK - 0.5) / chroma.frameRate();
    }

    double duration() {
        return chroma.duration();
    }

    /** Mean of the harmonic and timbral cosines of two frames, in −0.5..1. */
    float similarity(int i, int j) {
        return 0.5f * (dot(harmony, i, j, CHROMA) + dot(timbre, i, j, TIMBRE));
    }

    /** Sums the unit vectors of frames {@code from..to-1} into {@code harmonySum} (12) and {@code timbreSum} (13). */
    void sum(int from, int to, double[] harmonySum, double[] timbreSum) {
        build();
        for (int i = from; i < to; i++) {
            for (int k = 0; k < CHROMA; k++) harmonySum[k] += harmony[i * CHROMA + k];
            for (int k = 0; k < TIMBRE; k++) timbreSum[k] += timbre[i * TIMBRE + k];
        }
    }

    private static float dot(float[] v, int i, int j, int dim) {
        float acc = 0;
        for (int k = 0, a = i * dim, b = j * dim; k < dim; k++) acc += v[a + k] * v[b + k];
        return acc;
    }

    private void build() {
        if (harmony != null) return;
        frames = Math.min(blocks, (chroma.frames() + BLOCK - 1) / BLOCK);
        harmony = new float[frames * CHROMA];
        float[] frame = new float[CHROMA];
        for (int i = 0; i < frames; i++) {
            int end = Math.min(chroma.frames(), (i + 1) * BLOCK);
            double energy = 0;
            for (int f = i * BLOCK; f < end; f++) {
                chroma.vector(f, frame);
                energy += chroma.energy(f);
                for (int k = 0; k < CHROMA; k++) harmony[i * CHROMA + k] += frame[k];
            }
            if (energy / Math.max(1, end - i * BLOCK) < SILENT) Arrays.fill(harmony, i * CHROMA, (i + 1) * CHROMA, 0f);
            else normalize(harmony, i * CHROMA, CHROMA);
        }
        timbre = new float[frames * TIMBRE];
        double[] sums = new double[MelCepstrum.BANDS];
        for (int i = 0; i < frames; i++) {
            for (int b = 0; b < MelCepstrum.BANDS; b++) sums[b] = logMel[i * MelCepstrum.BANDS + b];
            System.arraycopy(mel.cepstrum(sums), 0, timbre, i * TIMBRE, TIMBRE);
        }
        logMel = null;
        standardize(timbre, frames, TIMBRE);
        for (int i = 0; i < frames; i++) normalize(timbre, i * TIMBRE, TIMBRE);
    }

    private static void standardize(float[] v, int n, int dim) {
        for (int k = 0; k < dim; k++) {
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++) {
                sum += v[i * dim + k];
                squares += v[i * dim + k] * (double) v[i * dim + k];
            }
            double mean = sum / Math.max(1, n), sd = Math.sqrt(Math.max(0, squares / Math.max(1, n) - mean * mean));
            for (int i = 0; i < n; i++) v[i * dim + k] = sd > 1e-9 ? (float) ((v[i * dim + k] - mean) / sd) : 0f;
        }
    }

    private static void normalize(float[] v, int offset, int dim) {
        double norm = 0;
        for (int k = 0; k < dim; k++) norm += v[offset + k] * (double) v[offset + k];
        if (norm < 1e-20) {
            Arrays.fill(v, offset, offset + dim, 0f);
            return;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int k = 0; k < dim; k++) v[offset + k] *= inv;
    }
}
