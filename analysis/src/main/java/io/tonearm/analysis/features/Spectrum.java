package io.tonearm.analysis.features;

import io.tonearm.analysis.Feature;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.SampleListener;
import org.jtransforms.fft.FloatFFT_1D;

import java.util.ArrayList;
import java.util.List;

/**
 * Streaming short-time Fourier transform of the analysis signal: Hann-windowed frames of {@code size} samples
 * every {@code hop} samples; each frame's magnitude spectrum is computed once and handed to every subscriber,
 * then dropped (a 60-minute recording never holds its spectrogram). Frame {@code i} is centred at sample
 * {@code i * hop} (the signal is zero-padded by size/2 at the start, as librosa and madmom do).
 *
 * <p>Share one configuration where you can: {@link #STANDARD} serves onsets and tempo; declare another
 * {@code static final} constant for another resolution.
 */
public final class Spectrum {

    /** 2048-point frames every 512 samples at 22050 Hz: 93 ms windows, 43.07 frames per second. */
    public static final Feature<Spectrum> STANDARD = config(2048, 512);

    /** Receives magnitude frames; {@code magnitude} has size/2+1 bins and is reused after the call. */
    public interface FrameListener {
        void frame(float[] magnitude, long index);

        default void end() {
        }
    }

    /** A feature constant for another configuration; keep it in a static final field so it is shared. */
    public static Feature<Spectrum> config(int size, int hop) {
        if (Integer.bitCount(size) != 1 || hop <= 0 || hop > size) throw new IllegalArgumentException(size + "/" + hop);
        return recording -> new Spectrum(recording, size, hop);
    }

    private final int size;
    private final int hop;
    private final int mask;          // size - 1: ring positions by masking (size is a power of two), not by long division
    private final int sampleRate;
    private final float[] window;
    private final float[] ring;      // the last `size` samples
    private final float[] fftBuf;
    private final float[] magnitude;
    private final FloatFFT_1D fft;
    private final List<FrameListener> listeners = new ArrayList<>();
    private long written;            // samples written into the (padded) signal
    private long nextFrameEnd;       // padded-signal index one past the end of the next frame
    private long frames;

    private Spectrum(RecordingContext recording, int size, int hop) {
        this.size = size;
        this.hop = hop;
        this.mask = size - 1;
        this.sampleRate = RecordingContext.ANALYSIS_RATE;
        this.window = new float[size];
        for (int i = 0; i < size; i++) window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / size));
        this.ring = new float[size];
        this.fftBuf = new float[size];
        this.magnitude = new float[size / 2 + 1];
        this.fft = new FloatFFT_1D(size);
        this.written = size / 2;          // centre padding: frame 0 is centred on sample 0
        this.nextFrameEnd = size;
        recording.onAnalysisSignal(new SampleListener() {
            @Override
            public void samples(float[] samples, int offset, int n) {
                push(samples, offset, n);
            }

            @Override
            public void end() {
                finish();
            }
        });
    }

    public void subscribe(FrameListener listener) {
        listeners.add(listener);
    }

    public int size() {
        return size;
    }

    public int hop() {
        return hop;
    }

    public int bins() {
        return size / 2 + 1;
    }

    /** Frames per second. */
    public double frameRate() {
        return sampleRate / (double) hop;
    }

    /** Centre frequency of a bin in Hz. */
    public double binHz(int bin) {
        return bin * sampleRate / (double) size;
    }

    public long frames() {
        return frames;
    }

    private void push(float[] samples, int offset, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) written & mask] = samples[offset + i];
            written++;
            if (written == nextFrameEnd) emit();
        }
    }

    private void finish() {
        long samples = written - size / 2;
        long total = (samples + hop - 1) / hop; // every frame whose centre lies inside the signal
        while (frames < total) {
            while (written < nextFrameEnd) {
                ring[(int) written & mask] = 0f;
                written++;
            }
            emit();
        }
        for (FrameListener l : listeners) l.end();
    }

    private void emit() {
        // the frame is the whole ring, oldest sample first: ring[first..size) then ring[0..first)
        int first = (int) nextFrameEnd & mask;
        int tail = size - first;
        for (int i = 0; i < tail; i++) fftBuf[i] = ring[first + i] * window[i];
        for (int i = tail; i < size; i++) fftBuf[i] = ring[i - tail] * window[i];
        fft.realForward(fftBuf);
        magnitude[0] = Math.abs(fftBuf[0]);
        magnitude[size / 2] = Math.abs(fftBuf[1]);
        for (int k = 1; k < size / 2; k++) {
            float re = fftBuf[2 * k], im = fftBuf[2 * k + 1];
            magnitude[k] = (float) Math.sqrt(re * re + im * im);
        }
        for (FrameListener l : listeners) l.frame(magnitude, frames);
        frames++;
        nextFrameEnd += hop;
    }
}
