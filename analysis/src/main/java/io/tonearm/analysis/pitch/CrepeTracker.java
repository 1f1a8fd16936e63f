package io.tonearm.analysis.pitch;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tonearm.analysis.SampleListener;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.signal.AnalysisSignalConverter;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * CREPE f0 per frame (Kim, Salamon, Li &amp; Bello, ICASSP 2018) with the "tiny" model through ONNX Runtime,
 * following torchcrepe: the 22050 Hz analysis signal is resampled to 16 kHz as it streams, cut into 1024-sample
 * frames centred on the hop grid, each normalised to zero mean and unit (N−1) standard deviation, and batched
 * through the network; 360 sigmoid outputs of 20 cents each are decoded by a weighted average over the
 * argmax ±4 bins (argmax restricted to [minHz, maxHz]). Voicing = the peak probability (CREPE's confidence).
 */
final class CrepeTracker implements SampleListener {

    static final int MODEL_RATE = 16000;
    static final int FRAME = 1024;
    static final int BINS = 360;
    private static final int BATCH = 128;   // 512 KB of input; ORT's per-call overhead amortised
    private static final String INPUT = "frames";
    private static final String OUTPUT = "probabilities";

    private final OrtSession session;
    private final AnalysisSignalConverter resampler;
    private final CenteredFrames frames;
    private final PitchContour contour;
    private final double threshold;
    private final int lowBin;
    private final int highBin;
    private final float[] batch = new float[BATCH * FRAME];
    private final boolean[] silent = new boolean[BATCH];
    private int batched;
    private float[] resampled = new float[0];
    private float[] shifted = new float[0];

    CrepeTracker(OrtSession session, double sourceRate, double hopSeconds, double minHz, double maxHz, double voicingThreshold,
                 PitchContour contour) {
        this.session = session;
        this.contour = contour;
        this.threshold = voicingThreshold;
        this.resampler = new AnalysisSignalConverter((int) sourceRate, 1, MODEL_RATE);
        this.frames = new CenteredFrames(FRAME, hopSeconds, MODEL_RATE, (frame, index) -> add(frame));
        this.lowBin = Math.max(0, (int) Math.ceil(bin(minHz)));
        this.highBin = Math.min(BINS - 1, (int) Math.floor(bin(maxHz)));
    }

    /** Fractional bin of a frequency: cents above 10 Hz, minus the first bin's 1997.38 cents, in 20-cent steps. */
    static double bin(double hz) {
        return (1200 * Math.log(hz / 10) / Math.log(2) - 1997.3794084376191) / 20;
    }

    static double hz(double bin) {
        return 10 * Math.pow(2, (20 * bin + 1997.3794084376191) / 1200);
    }

    @Override
    public void samples(float[] samples, int offset, int n) {
        int max = resampler.maxOutput(n);
        if (resampled.length < max) resampled = new float[max];
        float[] block = samples;
        if (offset != 0) {   // the converter reads from index 0
            if (shifted.length < n) shifted = new float[n];
            System.arraycopy(samples, offset, shifted, 0, n);
            block = shifted;
        }
        int m = resampler.convert(block, n, resampled);
        frames.push(resampled, 0, m);
    }

    @Override
    public void end() {
        int max = resampler.maxOutput(0);
        if (resampled.length < max) resampled = new float[max];
        int m = resampler.flush(resampled);
        frames.push(resampled, 0, m);
        frames.finish();
        runBatch();
    }

    private void add(float[] frame) {
        int at = batched * FRAME;
        silent[batched] = Silence.isSilent(frame);
        double mean = 0;
        for (float v : frame) mean += v;
        mean /= FRAME;
        double var = 0;
        for (float v : frame) var += (v - mean) * (v - mean);
        double std = Math.max(1e-10, Math.sqrt(var / (FRAME - 1)));
        for (int i = 0; i < FRAME; i++) batch[at + i] = (float) ((frame[i] - mean) / std);
        if (++batched == BATCH) runBatch();
    }

    private void runBatch() {
        if (batched == 0) return;
        try (OnnxTensor in = OnnxTensor.createTensor(ModelStore.environment(), FloatBuffer.wrap(batch, 0, batched * FRAME),
                new long[]{batched, FRAME});
             OrtSession.Result r = session.run(Map.of(INPUT, in))) {
            float[][] probabilities = (float[][]) r.get(OUTPUT).orElseThrow().getValue();
            for (int f = 0; f < batched; f++) decode(probabilities[f], silent[f]);
        } catch (OrtException e) {
            throw new IllegalStateException("CREPE inference failed: " + e.getMessage(), e);
        }
        batched = 0;
    }

    private void decode(float[] p, boolean isSilent) {
        int best = lowBin;
        for (int b = lowBin; b <= highBin; b++) if (p[b] > p[best]) best = b;
        double confidence = p[best];
        if (isSilent || confidence < threshold) {
            contour.add(Double.NaN, isSilent ? 0 : confidence);
            return;
        }
        double weight = 0, sum = 0;
        for (int b = Math.max(0, best - 4); b <= Math.min(BINS - 1, best + 4); b++) {
            weight += p[b];
            sum += p[b] * b;
        }
        contour.add(hz(sum / weight), confidence);
    }
}
