package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Feature;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;

import java.util.Arrays;

/**
 * The log-magnitude constant-Q spectrogram KeyNet was trained on: {@code log1p(|librosa.cqt(y, sr=44100,
 * hop_length=8820, fmin=65, n_bins=105, bins_per_octave=24)|)}, 5 frames per second, 65 Hz to about 1.3 kHz.
 *
 * <p>Computed directly in the time domain from the 22050 Hz analysis signal (nothing above 11 kHz matters here):
 * bin k correlates a Hann-windowed complex exponential of length Q·sr/f_k (Q = 1/(2^(1/24) − 1), Brown 1991)
 * centred on the frame. librosa L1-normalizes each kernel and then scales the response by sqrt(filter length at
 * 44.1 kHz); for a sinusoid of amplitude A that gives A·sqrt(L)/2, which this class reproduces, so the model sees
 * the value range it was trained on. Frames are kept (105 floats each, 7.6 MB for an hour).
 */
final class KeyNetCqt {

    static final Feature<KeyNetCqt> FEATURE = KeyNetCqt::new;

    static final int BINS = 105;
    static final double FMIN = 65;
    static final int BINS_PER_OCTAVE = 24;
    /** 8820 samples at 44.1 kHz = 0.2 s. */
    static final int HOP = RecordingContext.ANALYSIS_RATE / 5;
    private static final double TRAINING_RATE = 44100;

    private static final Kernels KERNELS = new Kernels();

    private final int ringSize;
    private final int mask;
    private final float[] ring;
    private final int pad;            // zeros before the signal, so frame 0 is centred on sample 0
    private long written;             // padded samples written
    private long signalSamples;
    private float[] frames = new float[BINS * 256];
    private int count;
    private boolean ended;

    private KeyNetCqt(RecordingContext recording) {
        int need = KERNELS.maxLength + HOP + 1;
        ringSize = Integer.highestOneBit(need) << 1;
        mask = ringSize - 1;
        ring = new float[ringSize];
        pad = KERNELS.maxLength / 2 + 1;
        written = pad;
        recording.onAnalysisSignal(new SampleListener() {
            @Override
            public void samples(float[] samples, int offset, int n) {
                signalSamples += n;
                for (int i = 0; i < n; i++) push(samples[offset + i]);
            }

            @Override
            public void end() {
                long total = signalSamples / HOP + 1;       // librosa: 1 + len // hop frames
                while (count < total) push(0f);
                ended = true;
            }
        });
    }

    /** Frame count; frame t is centred at t × 0.2 s. */
    int frames() {
        if (!ended) throw new IllegalStateException("the CQT is complete only after the recording has ended");
        return count;
    }

    /** Copies frames [from, from + n) as [bin][time] (the model's layout) into a new array. */
    float[] window(int from, int n) {
        float[] out = new float[BINS * n];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < BINS; k++) out[k * n + t] = frames[(from + t) * BINS + k];
        }
        return out;
    }

    private void push(float sample) {
        ring[(int) (written & mask)] = sample;
        written++;
        // frame `count` is centred at padded index count*HOP + pad and needs maxLength/2 samples after it
        if (written > (long) count * HOP + pad + KERNELS.maxLength / 2) emit();
    }

    private void emit() {
        if ((count + 1) * BINS > frames.length) frames = Arrays.copyOf(frames, frames.length * 2);
        long centre = (long) count * HOP + pad;
        for (int k = 0; k < BINS; k++) {
            float[] cos = KERNELS.cos[k], sin = KERNELS.sin[k];
            long start = centre - cos.length / 2;
            double re = 0, im = 0;
            for (int n = 0; n < cos.length; n++) {
                float x = ring[(int) ((start + n) & mask)];
                re += x * cos[n];
                im += x * sin[n];
            }
            frames[count * BINS + k] = (float) Math.log1p(Math.sqrt(re * re + im * im) * KERNELS.scale[k]);
        }
        count++;
    }

    /** Window-weighted complex exponentials per bin, shared by every recording (3 MB, built once). */
    private static final class Kernels {
        final float[][] cos = new float[BINS][];
        final float[][] sin = new float[BINS][];
        final double[] scale = new double[BINS];
        final int maxLength;

        Kernels() {
            double q = 1 / (Math.pow(2, 1.0 / BINS_PER_OCTAVE) - 1);
            int max = 0;
            for (int k = 0; k < BINS; k++) {
                double f = FMIN * Math.pow(2, k / (double) BINS_PER_OCTAVE);
                int length = (int) Math.ceil(q * RecordingContext.ANALYSIS_RATE / f);
                cos[k] = new float[length];
                sin[k] = new float[length];
                double windowSum = 0;
                for (int n = 0; n < length; n++) {
                    double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / length);
                    double phase = 2 * Math.PI * f * (n - length / 2) / RecordingContext.ANALYSIS_RATE;
                    cos[k][n] = (float) (w * Math.cos(phase));
                    sin[k][n] = (float) (w * Math.sin(phase));
                    windowSum += w;
                }
                // |Σ x·w·e^{-iωn}| = A·Σw/2 for a sinusoid of amplitude A; librosa reports A·sqrt(L44100)/2
                scale[k] = Math.sqrt(q * TRAINING_RATE / f) / windowSum;
                max = Math.max(max, length);
            }
            maxLength = max;
        }
    }
}
