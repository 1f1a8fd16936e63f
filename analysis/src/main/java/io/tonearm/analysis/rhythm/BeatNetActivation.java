package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.Feature;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import org.jtransforms.fft.FloatFFT_1D;

import java.util.Arrays;

/**
 * Beat and downbeat activations of {@link BeatNetModel} at 50 fps, computed while the recording streams: BeatNet's
 * madmom front end (1411-sample Hann frames every 441 samples at 22050 Hz, centred; magnitude STFT without the
 * Nyquist bin; 24-bands-per-octave log filterbank 30 Hz–17 kHz, 136 bands; log10(1 + x); positive first-order
 * difference; 272 features), fed to the network in 10 s chunks every 8 s whose outer second is discarded.
 * Holds one chunk of features and two floats per frame, never the feature matrix of the whole recording.
 */
final class BeatNetActivation {

    /** Shared per recording; the model comes from the configured models directory. */
    static final Feature<BeatNetActivation> FEATURE = recording -> new BeatNetActivation(recording,
            BeatNetModel.load(BeatNetModel.configuredFile().orElseThrow(() -> new IllegalStateException(
                    "BeatNet model not found: set " + BeatNetModel.DIR_PROPERTY + " or " + BeatNetModel.DIR_ENV
                            + " to a directory holding beatnet/beatnet-model1.onnx"))));

    static final int FRAME = 1411, HOP = 441;
    static final double FPS = RecordingContext.ANALYSIS_RATE / (double) HOP;
    private static final int BANDS_PER_OCTAVE = 24, CHUNK_HOP = 400, EDGE = 50;

    private final BeatNetModel model;
    private final LogBands filterbank;
    private final int bands;
    private final float[] window = new float[FRAME];
    private final float[] ring = new float[FRAME];
    private final float[] fft = new float[2 * FRAME];
    private final float[] magnitude = new float[FRAME / 2];
    private final FloatFFT_1D transform = new FloatFFT_1D(FRAME);
    private final float[] chunk = new float[BeatNetModel.FRAMES * BeatNetModel.FEATURES];
    private float[] previous;
    private float[] current;
    private int inChunk;         // feature frames in the chunk buffer
    private long chunkStart;     // recording frame index of the chunk's first frame
    private long written = FRAME / 2;
    private long nextFrameEnd = FRAME;
    private long frames;
    private float[] beat = new float[1024], downbeat = new float[1024];
    private int kept;            // activation frames final so far

    private BeatNetActivation(RecordingContext recording, BeatNetModel model) {
        this.model = model;
        this.filterbank = new LogBands(FRAME / 2, RecordingContext.ANALYSIS_RATE / (2.0 * (FRAME / 2)), BANDS_PER_OCTAVE, 30, 17000);
        this.bands = filterbank.bands();
        if (2 * bands != BeatNetModel.FEATURES) throw new IllegalStateException("BeatNet front end has " + bands + " bands, not 136");
        for (int i = 0; i < FRAME; i++) window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (FRAME - 1))); // np.hanning
        this.previous = new float[bands];
        this.current = new float[bands];
        recording.onAnalysisSignal(new SampleListener() {
            @Override
            public void samples(float[] samples, int offset, int n) {
                for (int i = 0; i < n; i++) {
                    ring[(int) (written % FRAME)] = samples[offset + i];
                    written++;
                    if (written == nextFrameEnd) frame();
                }
            }

            @Override
            public void end() {
                finish();
            }
        });
    }

    private void frame() {
        long start = nextFrameEnd - FRAME;
        Arrays.fill(fft, FRAME, 2 * FRAME, 0f);
        for (int i = 0; i < FRAME; i++) fft[i] = ring[(int) ((start + i) % FRAME)] * window[i];
        transform.realForwardFull(fft);
        for (int k = 0; k < magnitude.length; k++) {
            float re = fft[2 * k], im = fft[2 * k + 1];
            magnitude[k] = (float) Math.sqrt(re * re + im * im);
        }
        filterbank.apply(magnitude, current);
        int row = inChunk * BeatNetModel.FEATURES;
        for (int b = 0; b < bands; b++) {
            current[b] = (float) Math.log10(1 + current[b]);
            chunk[row + b] = current[b];
            chunk[row + bands + b] = frames == 0 ? 0 : Math.max(0, current[b] - previous[b]);
        }
        float[] t = previous;
        previous = current;
        current = t;
        frames++;
        nextFrameEnd += HOP;
        if (++inChunk == BeatNetModel.FRAMES) runChunk(false);
    }

    private void finish() {
        long samples = written - FRAME / 2;
        long total = (samples + HOP - 1) / HOP;
        while (frames < total) {
            while (written < nextFrameEnd) ring[(int) (written++ % FRAME)] = 0f;
            frame();
        }
        if (frames > kept) runChunk(true);
    }

    /** Runs the network on the chunk buffer (zero-padded when partial), keeps its inner part, slides by 8 s. */
    private void runChunk(boolean last) {
        Arrays.fill(chunk, inChunk * BeatNetModel.FEATURES, chunk.length, 0f);
        float[][] act = model.activations(chunk);
        int from = (int) (kept - chunkStart);
        int to = last ? inChunk : BeatNetModel.FRAMES - EDGE;
        for (int i = from; i < to; i++) append(act[0][i], act[1][i]);
        if (last) return;
        int keep = BeatNetModel.FRAMES - CHUNK_HOP;
        System.arraycopy(chunk, CHUNK_HOP * BeatNetModel.FEATURES, chunk, 0, keep * BeatNetModel.FEATURES);
        inChunk = keep;
        chunkStart += CHUNK_HOP;
    }

    private void append(float b, float d) {
        if (kept == beat.length) {
            beat = Arrays.copyOf(beat, kept * 2);
            downbeat = Arrays.copyOf(downbeat, kept * 2);
        }
        beat[kept] = b;
        downbeat[kept] = d;
        kept++;
    }

    double frameRate() {
        return FPS;
    }

    /** Probability of a beat (downbeats included) per frame. */
    float[] beatActivation() {
        float[] out = new float[kept];
        for (int i = 0; i < kept; i++) out[i] = beat[i] + downbeat[i];
        return out;
    }

    /** Probability of a downbeat per frame. */
    float[] downbeatActivation() {
        return Arrays.copyOf(downbeat, kept);
    }
}
