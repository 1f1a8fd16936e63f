package io.tonearm.analysis.loudness;

import java.util.Arrays;

/**
 * True peak per ITU-R BS.1770-4 Annex 2: the maximum absolute value of the signal oversampled to at least
 * 192 kHz (4x below 96 kHz, 2x below 192 kHz, none above), per channel. The interpolator is libebur128's:
 * a 49-tap Hann-windowed sinc split into polyphase sub-filters. Phase 0 of that design is the original sample
 * itself (the sinc is zero at every other multiple of the factor), so only the in-between phases are computed and the
 * sample peak stands for phase 0.
 *
 * <p>Speed: interpolation runs over chunks of {@value #CHUNK} frames with the loops shaped so the JIT vectorizes
 * them, and a chunk is skipped outright when it cannot beat the channel's current peak: every interpolated value
 * is bounded by max_phase(sum|h|) times the largest input magnitude in the filter span.
 */
final class TruePeakMeter {

    static final int TAPS = 49;
    private static final int CHUNK = 256;

    private final int channels;
    private final int factor;
    private final float[][] phases;   // the in-between phases 1..factor-1, [phase][tap]: coefficient applied to x[n - tap]
    private final int history;        // input samples before the chunk that the filter reaches
    private final float gainBound;
    private final float[][] buffers;  // per channel: `history` past samples, then the current chunk
    private final int taps;           // per phase (zero-padded to a common length)
    private final float[][] out;      // per in-between phase, the interpolated chunk
    private final float[] shifted;
    private final float[] peaks;
    private int filled;
    private long chunks;
    private long interpolatedChunks;

    TruePeakMeter(int sampleRate, int channels) {
        this.channels = channels;
        this.factor = sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 1;
        float[][] all = factor == 1 ? new float[][] {{1f}} : polyphaseSinc(TAPS, factor);
        this.phases = Arrays.copyOfRange(all, 1, all.length);
        int longest = 1;
        for (float[] phase : phases) longest = Math.max(longest, phase.length);
        for (int f = 0; f < phases.length; f++) phases[f] = Arrays.copyOf(phases[f], longest);
        this.taps = longest;
        this.history = longest - 1;
        this.out = new float[phases.length][CHUNK];
        this.shifted = new float[CHUNK];
        float bound = 1; // phase 0, the samples themselves
        for (float[] phase : phases) {
            float sum = 0;
            for (float c : phase) sum += Math.abs(c);
            bound = Math.max(bound, sum);
        }
        this.gainBound = bound * 1.0001f; // margin for float rounding in the bound itself
        this.buffers = new float[channels][history + CHUNK];
        this.peaks = new float[channels];
    }

    /** libebur128's {@code interp_create}: sinc with cutoff at the original Nyquist, Hann window, split by phase. */
    static float[][] polyphaseSinc(int taps, int factor) {
        int perPhase = (taps + factor - 1) / factor;
        float[][] phases = new float[factor][perPhase];
        for (int j = 0; j < taps; j++) {
            double m = j - (taps - 1) / 2.0;
            double c = Math.abs(m) > 1e-6 ? Math.sin(m * Math.PI / factor) / (m * Math.PI / factor) : 1.0;
            c *= 0.5 * (1 - Math.cos(2 * Math.PI * j / (taps - 1)));
            phases[j % factor][j / factor] = (float) c;
        }
        // the window's zero end points leave a zero first tap in phase 0 and trailing zeros in the others: drop them
        for (int f = 0; f < factor; f++) {
            int last = phases[f].length;
            while (last > 1 && phases[f][last - 1] == 0f) last--;
            phases[f] = Arrays.copyOf(phases[f], last);
        }
        return phases;
    }

    int factor() {
        return factor;
    }

    void add(float[] interleaved, int offset, int frames) {
        int pos = 0;
        while (pos < frames) {
            int n = Math.min(CHUNK - filled, frames - pos);
            for (int c = 0; c < channels; c++) {
                float[] buf = buffers[c];
                int dst = history + filled;
                for (int i = 0, p = offset + pos * channels + c; i < n; i++, p += channels) buf[dst + i] = interleaved[p];
            }
            filled += n;
            pos += n;
            if (filled == CHUNK) flush();
        }
    }

    /** Processes what is buffered; call once at the end of the signal. */
    void finish() {
        if (filled > 0) flush();
    }

    /** Linear true peak of each channel (at least its sample peak). */
    float[] peaks() {
        return peaks.clone();
    }

    /** Share of chunks that needed interpolation (the rest were proven unable to raise the peak). */
    double interpolatedShare() {
        return chunks == 0 ? 0 : interpolatedChunks / (double) chunks;
    }

    private void flush() {
        for (int c = 0; c < channels; c++) {
            float[] buf = buffers[c];
            peaks[c] = Math.max(peaks[c], chunkPeak(buf, filled, peaks[c]));
            System.arraycopy(buf, filled, buf, 0, history);
        }
        filled = 0;
    }

    private float chunkPeak(float[] buf, int n, float current) {
        chunks++;
        float inputMax = 0;
        for (int i = 0, end = history + n; i < end; i++) inputMax = Math.max(inputMax, Math.abs(buf[i]));
        if (inputMax * gainBound <= current) return current;
        interpolatedChunks++;
        float max = 0;
        for (int i = history; i < history + n; i++) max = Math.max(max, Math.abs(buf[i])); // phase 0
        if (phases.length == 0) return max;
        for (float[] o : out) Arrays.fill(o, 0, n, 0f);
        // y_f[i] = sum_t h_f[t] x[i - t], accumulated one tap at a time over a shifted copy of the input: every
        // loop then reads and writes at the same index, which C2 vectorizes (an offset read would defeat it)
        for (int t = 0; t < taps; t++) {
            System.arraycopy(buf, history - t, shifted, 0, n);
            for (int f = 0; f < phases.length; f++) {
                float coefficient = phases[f][t];
                float[] o = out[f];
                for (int i = 0; i < n; i++) o[i] += coefficient * shifted[i];
            }
        }
        for (float[] o : out) {
            for (int i = 0; i < n; i++) max = Math.max(max, Math.abs(o[i]));
        }
        return max;
    }
}
