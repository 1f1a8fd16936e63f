package io.tonearm.analysis.signal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The analysis signal keeps what is below 11 kHz exactly where it was, and nothing from above it. */
class AnalysisSignalConverterTest {

    static final int TARGET = 22050;

    /** All of a mono or interleaved signal through the converter in blocks of the given sizes (cycled), then flushed. */
    static float[] convert(float[] interleaved, int rate, int channels, int... blockSizes) {
        AnalysisSignalConverter c = new AnalysisSignalConverter(rate, channels, TARGET);
        int frames = interleaved.length / channels;
        float[] out = new float[c.maxOutput(frames) + 16];
        int n = 0;
        int at = 0;
        for (int b = 0; at < frames; b++) {
            int size = Math.min(blockSizes[b % blockSizes.length], frames - at);
            float[] block = Arrays.copyOfRange(interleaved, at * channels, (at + size) * channels);
            float[] part = new float[c.maxOutput(size)];
            int got = c.convert(block, size, part);
            System.arraycopy(part, 0, out, n, got);
            n += got;
            at += size;
        }
        float[] tail = new float[c.maxOutput(0)];
        int got = c.flush(tail);
        System.arraycopy(tail, 0, out, n, got);
        return Arrays.copyOf(out, n + got);
    }

    static float[] sine(double hz, double amplitude, int rate, int channels, double seconds) {
        int frames = (int) (seconds * rate);
        float[] x = new float[frames * channels];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) x[f * channels + c] = (float) (amplitude * Math.sin(2 * Math.PI * hz * f / rate));
        }
        return x;
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 11025, 16000, 22050, 44100, 48000, 96000, 192000, 44056})
    void keepsASinesFrequencyAndAmplitude(int rate) {
        for (double hz : new double[]{440, 1000, 3000}) {
            float[] out = convert(sine(hz, 0.5, rate, 2, 3.0), rate, 2, 4096);
            int n = 16384;
            int from = out.length / 2 - n / 2;
            assertThat(Tone.frequency(out, from, n, TARGET)).as("%s Hz from %d Hz", hz, rate).isCloseTo(hz, within(0.2));
            assertThat(Tone.amplitude(out, from, n)).as("%s Hz from %d Hz", hz, rate).isCloseTo(0.5, within(0.005));
        }
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44100, 48000, 96000, 192000, 44056})
    void rejectsContentAboveTheAnalysisNyquist(int rate) {
        for (double hz : new double[]{11100, 11500, 12000, 15000, 20000, 30000, 60000, 90000}) {
            if (hz >= rate / 2.0) continue;
            float[] out = convert(sine(hz, 1.0, rate, 1, 1.0), rate, 1, 4096);
            double aliasDb = 20 * Math.log10(Tone.amplitude(out, out.length / 4, out.length / 2) + 1e-12);
            assertThat(aliasDb).as("%s Hz from %d Hz aliases at %.1f dB", hz, rate, aliasDb).isLessThan(-40);
        }
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 22050, 44100, 48000, 44056, 96000})
    void oddBlockSizesGiveTheSameOutputAsOneBlock(int rate) {
        Random random = new Random(rate);
        float[] noise = new float[rate * 2 * 2];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) random.nextGaussian() * 0.2f;
        float[] whole = convert(noise, rate, 2, noise.length / 2);
        assertThat(convert(noise, rate, 2, 1, 7, 333, 4097, 2, 65536)).isEqualTo(whole);
        assertThat(convert(noise, rate, 2, 1)).isEqualTo(whole);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 11025, 22050, 44100, 48000, 96000, 192000, 44056})
    void outputLengthIsInputTimesRatio(int rate) {
        int frames = rate * 3 + 17;
        float[] out = convert(new float[frames], rate, 1, 4096);
        assertThat((double) out.length).isCloseTo(frames * (double) TARGET / rate, within(1.0));
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 44100, 48000, 96000, 44056})
    void aClickStaysWhereItWas(int rate) {
        float[] x = new float[rate * 2];
        int click = rate; // at 1.000 s
        x[click] = 1f;
        float[] out = convert(x, rate, 1, 4096);
        int peak = 0;
        for (int i = 1; i < out.length; i++) if (Math.abs(out[i]) > Math.abs(out[peak])) peak = i;
        assertThat(peak).isCloseTo(TARGET, within(1));
    }

    @Test
    void monoAtTheTargetRatePassesThroughUntouched() {
        float[] x = sine(1000, 0.5, TARGET, 1, 1.0);
        assertThat(convert(x, TARGET, 1, 1000)).isEqualTo(x);
    }

    @Test
    void downmixIsTheMeanOfTheChannels() {
        float[] x = new float[TARGET * 2];
        for (int f = 0; f < TARGET; f++) {
            x[2 * f] = (float) Math.sin(2 * Math.PI * 1000 * f / TARGET);
            x[2 * f + 1] = -x[2 * f]; // opposite phase cancels
        }
        float[] out = convert(x, TARGET, 2, 4096);
        assertThat(Tone.amplitude(out, 0, out.length)).isLessThan(1e-6);
    }
}
