package io.tonearm.analysis.mastering;

import io.tonearm.analysis.SampleListener;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Long-term average spectrum (LTAS): the power of the channel mix, averaged over every 4096-sample Hann frame of
 * the whole recording (hop 2048), then summed into third-octave bands. Memory is one frame, whatever the length.
 */
final class LongTermSpectrum implements SampleListener {

    private static final int SIZE = 4096;
    private static final int HOP = SIZE / 2;

    private final int sampleRate;
    private final int channels;
    private final DoubleFFT_1D fft = new DoubleFFT_1D(SIZE);
    private final double[] window = new double[SIZE];
    private final double[] frame = new double[SIZE];
    private final double[] ring = new double[SIZE];
    private final double[] power = new double[SIZE / 2 + 1];
    private int filled;
    private long frames;

    LongTermSpectrum(int sampleRate, int channels) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        for (int i = 0; i < SIZE; i++) window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / SIZE);
    }

    @Override
    public void samples(float[] samples, int offset, int n) {
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int c = 0; c < channels; c++) v += samples[offset + i * channels + c];
            ring[filled++] = v / channels;
            if (filled == SIZE) {
                accumulate();
                System.arraycopy(ring, HOP, ring, 0, SIZE - HOP);
                filled = SIZE - HOP;
            }
        }
    }

    private void accumulate() {
        for (int i = 0; i < SIZE; i++) frame[i] = ring[i] * window[i];
        fft.realForward(frame);
        power[0] += frame[0] * frame[0];
        power[SIZE / 2] += frame[1] * frame[1];
        for (int k = 1; k < SIZE / 2; k++) power[k] += frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
        frames++;
    }

    int sampleRate() {
        return sampleRate;
    }

    /** Mean power per band in dB (arbitrary but common reference); -200 for a band without energy. */
    double[] bandsDb(ThirdOctaveBands bands) {
        double[] out = new double[bands.size()];
        double binHz = sampleRate / (double) SIZE;
        for (int b = 0; b < bands.size(); b++) {
            double sum = 0;
            int bins = 0;
            for (int k = (int) Math.ceil(bands.lower(b) / binHz); k * binHz < bands.upper(b) && k <= SIZE / 2; k++) {
                sum += power[k];
                bins++;
            }
            if (bins == 0) { // a low band narrower than one bin: the bin at its centre
                sum = power[(int) Math.round(bands.centre(b) / binHz)];
                bins = 1;
            }
            double mean = frames == 0 ? 0 : sum / bins / frames;
            out[b] = mean > 0 ? 10 * Math.log10(mean) : -200;
        }
        return out;
    }
}
