package io.tonearm.analysis.transcription;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.models.ModelStore;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs Basic Pitch over the 22050 Hz analysis signal as it streams, with upstream {@code run_inference}'s
 * windowing: 3840 zeros ({@code overlap/2}) before the audio, windows of {@value #WINDOW} samples every
 * {@value #HOP}, the last one zero-padded; each window's 172 output frames lose {@value #EDGE} at either end and
 * the remaining {@value #KEPT} are appended to the {@link Posteriorgrams}. A window runs as soon as its last
 * sample has arrived, so only one window of audio is ever held.
 *
 * <p>The result is trimmed to {@code floor(samples / HOP · KEPT)} frames: every window advances {@value #HOP}
 * samples and contributes {@value #KEPT} frames. (Upstream trims to {@code floor(samples · 86 / 22050)}, which
 * counts frames at 256 samples although they advance by 254.7, and so drops the last 0.7 % of a recording —
 * 4 s of a 10-minute file. The frames both keep are identical.)
 */
final class BasicPitchWindows implements SampleListener {

    static final int WINDOW = 43844;        // AUDIO_N_SAMPLES: 2 s × 22050 − 256
    static final int MODEL_FRAMES = 172;    // ANNOT_N_FRAMES per window
    static final int EDGE = 15;             // half of the 30 overlapping frames
    static final int KEPT = MODEL_FRAMES - 2 * EDGE;
    static final int OVERLAP = 2 * EDGE * 256;
    static final int HOP = WINDOW - OVERLAP;
    static final int LEAD = OVERLAP / 2;
    private static final String INPUT = "serving_default_input_2:0";
    private static final String NOTE = "StatefulPartitionedCall:1";
    private static final String ONSET = "StatefulPartitionedCall:2";
    private static final String CONTOUR = "StatefulPartitionedCall:0";

    /** Network runs in this process, all recordings together: how tests see that one decode runs it once per window. */
    static final LongAdder RUNS = new LongAdder();

    private OrtSession session;
    private final Posteriorgrams out;
    private PitchBends bends;   // null when not wanted
    private float[] contour;
    private final float[] window = new float[WINDOW];
    private final float[] note = new float[MODEL_FRAMES * Posteriorgrams.KEYS];
    private final float[] onset = new float[MODEL_FRAMES * Posteriorgrams.KEYS];
    private int fill = LEAD;   // the leading zeros are already there
    private long samples;
    private long windowsRun;

    BasicPitchWindows(OrtSession session, Posteriorgrams out) {
        this.out = out;
        use(session);
    }

    /** Windows whose network is attached later, before the audio streams ({@link BasicPitchActivations}). */
    BasicPitchWindows(Posteriorgrams out) {
        this.out = out;
    }

    void use(OrtSession session) {
        requireNotStarted();
        this.session = session;
    }

    /** Also keeps per-key pitch bends from the contour. */
    void keepBends(PitchBends bends) {
        requireNotStarted();
        this.bends = bends;
        this.contour = new float[MODEL_FRAMES * PitchBends.CONTOUR_BINS];
    }

    private void requireNotStarted() {
        if (samples > 0) throw new IllegalStateException("Basic Pitch is already running on this recording");
    }

    @Override
    public void samples(float[] block, int offset, int frames) {
        samples += frames;
        while (frames > 0) {
            int n = Math.min(frames, WINDOW - fill);
            System.arraycopy(block, offset, window, fill, n);
            fill += n;
            offset += n;
            frames -= n;
            if (fill == WINDOW) runWindow();
        }
    }

    @Override
    public void end() {
        long padded = LEAD + samples;
        int target = frameCount(samples);
        while (windowsRun * HOP < padded && windowsRun * KEPT < target) {
            Arrays.fill(window, fill, WINDOW, 0f);
            runWindow();
        }
        out.truncate(target);
        if (bends != null) bends.truncate(target);
    }

    /** Frames the whole recording yields: {@value #KEPT} per {@value #HOP} samples. */
    static int frameCount(long samples) {
        return (int) (samples * KEPT / HOP);
    }

    long windowsRun() {
        return windowsRun;
    }

    private void runWindow() {
        if (session == null) throw new IllegalStateException("no Basic Pitch model attached");
        RUNS.increment();
        try (OnnxTensor in = OnnxTensor.createTensor(ModelStore.environment(), FloatBuffer.wrap(window), new long[]{1, WINDOW, 1});
             OrtSession.Result r = session.run(Map.of(INPUT, in), bends == null ? Set.of(NOTE, ONSET) : Set.of(NOTE, ONSET, CONTOUR))) {
            copy(r.get(NOTE).orElseThrow(), note);
            copy(r.get(ONSET).orElseThrow(), onset);
            if (bends != null) copy(r.get(CONTOUR).orElseThrow(), contour);
        } catch (OrtException e) {
            throw new IllegalStateException("Basic Pitch inference failed: " + e.getMessage(), e);
        }
        for (int f = EDGE; f < EDGE + KEPT; f++) {
            out.append(note, f * Posteriorgrams.KEYS, onset, f * Posteriorgrams.KEYS);
            if (bends != null) bends.append(contour, f * PitchBends.CONTOUR_BINS);
        }
        windowsRun++;
        System.arraycopy(window, HOP, window, 0, WINDOW - HOP);
        fill = Math.max(0, fill - HOP);
    }

    private static void copy(OnnxValue value, float[] into) {
        FloatBuffer b = ((OnnxTensor) value).getFloatBuffer();
        if (b.remaining() != into.length) {
            throw new IllegalStateException("Basic Pitch gave " + b.remaining() + " values, expected " + into.length);
        }
        b.get(into);
    }
}
