package io.tonearm.analysis.voice;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.signal.AnalysisSignalConverter;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Streams the 22050 Hz analysis signal through Silero VAD v6 at 16 kHz, as upstream's {@code OnnxWrapper} does:
 * chunks of {@value #CHUNK} new samples (32 ms) preceded by the last {@value #CONTEXT} samples of the previous chunk,
 * the recurrent state fed back from each call to the next. Keeps one speech probability per chunk (≈ 450 KB an
 * hour). A trailing partial chunk is zero-padded, as upstream pads the last window.
 */
final class SileroVad implements SampleListener {

    static final int RATE = 16000;
    static final int CHUNK = 512;
    static final int CONTEXT = 64;
    private static final long[] STATE_SHAPE = {2, 1, 128};

    private final OrtSession session;
    private final OrtEnvironment env = ModelStore.environment();
    private final AnalysisSignalConverter resampler;
    private float[] in = new float[4096];
    private float[] resampled;
    private final float[] window = new float[CONTEXT + CHUNK];
    private int filled;                       // new samples in window after the context
    private float[] state = new float[2 * 128];
    private float[] probabilities = new float[4096];
    private int chunks;
    private long samples16k;

    SileroVad(OrtSession session, int sourceRate) {
        this.session = session;
        this.resampler = new AnalysisSignalConverter(sourceRate, 1, RATE);
        this.resampled = new float[resampler.maxOutput(in.length)];
    }

    @Override
    public void samples(float[] block, int offset, int frames) {
        if (frames > in.length) {
            in = new float[frames];
            resampled = new float[resampler.maxOutput(frames)];
        }
        System.arraycopy(block, offset, in, 0, frames);
        push(resampled, resampler.convert(in, frames, resampled));
    }

    @Override
    public void end() {
        float[] tail = new float[resampler.maxOutput(0)];
        push(tail, resampler.flush(tail));
        if (filled > 0) {
            Arrays.fill(window, CONTEXT + filled, window.length, 0f);
            run();
        }
    }

    private void push(float[] x, int n) {
        samples16k += n;
        for (int i = 0; i < n; ) {
            int take = Math.min(n - i, CHUNK - filled);
            System.arraycopy(x, i, window, CONTEXT + filled, take);
            filled += take;
            i += take;
            if (filled == CHUNK) run();
        }
    }

    private void run() {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(window), new long[]{1, CONTEXT + CHUNK});
             OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), STATE_SHAPE);
             OnnxTensor sr = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{RATE}), new long[0]);
             OrtSession.Result result = session.run(Map.of("input", input, "state", st, "sr", sr))) {
            float p = ((float[][]) result.get("output").orElseThrow().getValue())[0][0];
            FloatBuffer next = ((OnnxTensor) result.get("stateN").orElseThrow()).getFloatBuffer();
            next.get(state);
            if (chunks == probabilities.length) probabilities = Arrays.copyOf(probabilities, chunks * 2);
            probabilities[chunks++] = p;
        } catch (OrtException e) {
            throw new IllegalStateException("silero-vad inference failed: " + e.getMessage(), e);
        }
        System.arraycopy(window, CHUNK, window, 0, CONTEXT);   // the last 64 samples become the next context
        filled = 0;
    }

    /** Speech probability of each 32 ms chunk, in order. */
    float[] probabilities() {
        return Arrays.copyOf(probabilities, chunks);
    }

    /** Length of the resampled signal in 16 kHz samples. */
    long samples() {
        return samples16k;
    }
}
