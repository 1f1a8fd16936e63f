package io.tonearm.analysis.fingerprint;

import io.tonearm.analysis.Feature;
import io.tonearm.analysis.features.Spectrum;

import java.util.Arrays;

/**
 * The spectrogram landmarks are picked on, one per {@code fingerprint} analyzer version. A format is an index format:
 * recordings indexed once are never fingerprinted again when their audio has expired, so every format stays
 * readable and queryable for good, and its landmarks stay bit for bit the same (LandmarksStayTheSameTest).
 *
 * <p>The formats hash alike, but each marks its hashes in the bits above the hash fields ({@link LandmarkHash}), so
 * landmarks of two formats never collide: one index holds both, and a query in one format can only align with
 * recordings indexed in the same format.
 *
 * <ul>
 *   <li>{@link #V1}: its own 1024-point STFT every 512 samples (21.5 Hz × 23.2 ms, audfprint's resolution).</li>
 *   <li>{@link #V2}: the standard 2048-point spectrum every 512 samples that onsets and tempo already compute
 *   ({@link Spectrum#STANDARD}), each pair of its 10.8 Hz bins max-pooled to one 21.5 Hz bin and halved (a
 *   window twice as long gives a sinusoid twice the magnitude), so peak picking and hashing see the same grid as
 *   v1. Beside the standard set it costs no STFT of its own — most of v1's cost; on FingerprintMatchTest's catalog
 *   it keeps v1's recall and aligns a larger share of each query (the longer window resolves more stable peaks).</li>
 * </ul>
 */
public enum LandmarkFormat {

    V1("wang-landmarks-v1", 1, 0, Spectrum.config(1024, 512), Spectrum.config(1024, 256), Spectrum.config(1024, 128)),
    V2("wang-landmarks-v2", 2, 1 << 20, Spectrum.STANDARD, Spectrum.config(2048, 256), Spectrum.config(2048, 128));

    /** What the pipeline indexes new recordings in, and what {@code fingerprint} without a version computes. */
    public static final LandmarkFormat CURRENT = V2;

    private static final int TAG_MASK = 0xFFF00000;

    private final String id;
    private final int analyzerVersion;
    private final int hashTag;
    /** Spectra for 1, 2 and 4 frame grids: hops of 512, 256 and 128 samples. */
    private final Feature<Spectrum>[] grids;

    @SafeVarargs
    LandmarkFormat(String id, int analyzerVersion, int hashTag, Feature<Spectrum>... grids) {
        this.id = id;
        this.analyzerVersion = analyzerVersion;
        this.hashTag = hashTag;
        this.grids = grids;
    }

    /** The name stored with packed landmarks and in the index ({@code fingerprint_recordings.format}). */
    public String id() {
        return id;
    }

    /** The {@code fingerprint} analyzer version that computes this format. */
    public int analyzerVersion() {
        return analyzerVersion;
    }

    /** The bits above the hash fields that mark this format's hashes. */
    int hashTag() {
        return hashTag;
    }

    /** The spectrum for {@code shifts} (1, 2 or 4) frame grids, all at {@link Landmarks#FRAME_RATE} times shifts. */
    Feature<Spectrum> spectrum(int shifts) {
        return grids[Integer.numberOfTrailingZeros(shifts)];
    }

    /** Whether this format's spectrum is shared with other analyzers (then it cannot run on a lane of its own). */
    boolean sharesItsSpectrum() {
        return grids[0] == Spectrum.STANDARD;
    }

    /**
     * Reduces one frame of this format's spectrum to the 21.5 Hz bins peaks are picked on ({@code out} holds at least
     * {@link LandmarkHash#MAX_BIN} + 1 bins); returns {@code magnitude} itself when it already has that resolution.
     */
    float[] peakBins(float[] magnitude, float[] out) {
        if (this == V1) return magnitude;
        for (int b = 0; b < out.length; b++) out[b] = 0.5f * Math.max(magnitude[2 * b], magnitude[2 * b + 1]);
        return out;
    }

    public static LandmarkFormat byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unsupported landmark format: " + id));
    }

    public static LandmarkFormat byAnalyzerVersion(int version) {
        return Arrays.stream(values()).filter(f -> f.analyzerVersion == version).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no landmark format for fingerprint version " + version));
    }

    /** The format of landmarks by their hashes' marks; {@link #CURRENT} for none (silence). */
    public static LandmarkFormat of(Landmarks landmarks) {
        if (landmarks.count() == 0) return CURRENT;
        int tag = landmarks.hashes()[0] & TAG_MASK;
        return Arrays.stream(values()).filter(f -> f.hashTag == tag).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("hash " + landmarks.hashes()[0] + " has no format's mark"));
    }
}
