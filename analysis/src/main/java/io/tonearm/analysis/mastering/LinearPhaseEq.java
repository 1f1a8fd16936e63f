package io.tonearm.analysis.mastering;

import io.tonearm.analysis.SampleListener;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Applies a band-gain curve as a linear-phase FIR filter, by FFT overlap-add, to every channel alike, and passes
 * the result on sample-aligned with the input (the filter's delay of (taps-1)/2 is dropped at the start and the
 * tail flushed at the end, so the output has exactly the input's length).
 * <p>
 * Why FIR rather than a cascade of peaking biquads at the band centres: overlapping third-octave peaking sections
 * interact (their gains add between centres), so a cascade only approximates the curve, while frequency sampling
 * gives the curve itself; linear phase keeps transients and the stereo image untouched, and the delay costs
 * nothing offline. 8191 taps (186 ms at 44.1 kHz) resolve ~10 Hz, enough for the gentle, smoothed curves used here.
 */
final class LinearPhaseEq implements SampleListener {

    static final int TAPS = 8191;
    private static final int FFT = 16384;
    private static final int BLOCK = FFT - TAPS + 1;

    private final int channels;
    private final SampleListener downstream;
    private final DoubleFFT_1D fft = new DoubleFFT_1D(FFT);
    private final double[] kernel; // spectrum of the FIR, JTransforms' packed real layout
    private final double[][] input;
    private final double[][] overlap;
    private final double[] work = new double[FFT];
    private float[] out = new float[0];
    private int buffered;
    private long received;
    private long produced;
    private long emitted;

    LinearPhaseEq(TonalBalance balance, int sampleRate, int channels, SampleListener downstream) {
        this.channels = channels;
        this.downstream = downstream;
        this.kernel = kernelSpectrum(balance, sampleRate);
        this.input = new double[channels][BLOCK];
        this.overlap = new double[channels][FFT];
    }

    /** The curve sampled on the FFT grid (linear in dB over log-frequency between band centres, held beyond). */
    private double[] kernelSpectrum(TonalBalance balance, int sampleRate) {
        ThirdOctaveBands bands = balance.bands();
        double[] gains = balance.gainsDb();
        double[] h = new double[FFT];
        for (int k = 0; k <= FFT / 2; k++) {
            double g = gainAt(k * sampleRate / (double) FFT, bands, gains);
            double amp = Math.pow(10, g / 20);
            if (k == 0) h[0] = amp;
            else if (k == FFT / 2) h[1] = amp;
            else h[2 * k] = amp;
        }
        fft.realInverse(h, true); // zero-phase impulse response, centred on sample 0 (circularly)
        int half = (TAPS - 1) / 2;
        double[] taps = new double[FFT];
        for (int n = -half; n <= half; n++) {
            double w = 0.5 + 0.5 * Math.cos(Math.PI * n / (half + 1)); // Hann: smooth truncation
            taps[n + half] = h[Math.floorMod(n, FFT)] * w;
        }
        fft.realForward(taps);
        return taps;
    }

    private static double gainAt(double hz, ThirdOctaveBands bands, double[] gains) {
        int n = bands.size();
        if (n == 0) return 0;
        if (hz <= bands.centre(0)) return gains[0];
        if (hz >= bands.centre(n - 1)) return gains[n - 1];
        int b = 0;
        while (bands.centre(b + 1) < hz) b++;
        double t = Math.log(hz / bands.centre(b)) / Math.log(bands.centre(b + 1) / bands.centre(b));
        return gains[b] + t * (gains[b + 1] - gains[b]);
    }

    @Override
    public void samples(float[] samples, int offset, int frames) {
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) input[c][buffered] = samples[offset + i * channels + c];
            received++;
            if (++buffered == BLOCK) process();
        }
    }

    @Override
    public void end() {
        if (buffered > 0) process();
        // the last (taps - 1) samples of the convolution are still in the overlap
        emit(overlap, TAPS - 1);
        downstream.end();
    }

    private void process() {
        for (int c = 0; c < channels; c++) {
            java.util.Arrays.fill(work, 0);
            System.arraycopy(input[c], 0, work, 0, buffered);
            fft.realForward(work);
            multiply(work, kernel);
            fft.realInverse(work, true);
            double[] o = overlap[c];
            for (int i = 0; i < FFT; i++) o[i] += work[i];
        }
        emit(overlap, buffered);
        for (double[] o : overlap) {
            System.arraycopy(o, buffered, o, 0, FFT - buffered);
            java.util.Arrays.fill(o, FFT - buffered, FFT, 0);
        }
        buffered = 0;
    }

    /** Passes on the first {@code n} finished samples of {@code y}, minus the delay, up to the input's length. */
    private void emit(double[][] y, int n) {
        int skip = (int) Math.max(0, Math.min(n, (TAPS - 1) / 2 - produced));
        produced += n;
        int count = (int) Math.min(n - skip, received - emitted);
        if (count <= 0) return;
        if (out.length < count * channels) out = new float[count * channels];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < channels; c++) out[i * channels + c] = (float) y[c][skip + i];
        }
        downstream.samples(out, 0, count);
        emitted += count;
    }

    private static void multiply(double[] a, double[] b) {
        a[0] *= b[0];
        a[1] *= b[1];
        for (int k = 1; k < a.length / 2; k++) {
            double re = a[2 * k] * b[2 * k] - a[2 * k + 1] * b[2 * k + 1];
            double im = a[2 * k] * b[2 * k + 1] + a[2 * k + 1] * b[2 * k];
            a[2 * k] = re;
            a[2 * k + 1] = im;
        }
    }
}
