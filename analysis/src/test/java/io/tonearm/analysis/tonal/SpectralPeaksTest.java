package io.tonearm.analysis.tonal;

import org.jtransforms.fft.FloatFFT_1D;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SpectralPeaksTest {

    private static final int N = 4096;
    private static final double RATE = 22050;

    private static float[] magnitude(float[] signal) {
        float[] buf = new float[N];
        for (int i = 0; i < N; i++) buf[i] = (float) (signal[i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / N)));
        new FloatFFT_1D(N).realForward(buf);
        float[] m = new float[N / 2 + 1];
        m[0] = Math.abs(buf[0]);
        m[N / 2] = Math.abs(buf[1]);
        for (int k = 1; k < N / 2; k++) m[k] = (float) Math.hypot(buf[2 * k], buf[2 * k + 1]);
        return m;
    }

    private static List<double[]> peaks(float[] signal) {
        List<double[]> out = new ArrayList<>();
        new SpectralPeaks(N, RATE / N).find(magnitude(signal), 50, 3500, (hz, a) -> out.add(new double[]{hz, a}));
        return out;
    }

    @Test
    void findsSinesWithInterpolatedFrequencyAndAmplitude() {
        float[] s = new float[N];
        for (int i = 0; i < N; i++) s[i] = (float) (0.5 * Math.sin(2 * Math.PI * 261.63 * i / RATE) + 0.1 * Math.sin(2 * Math.PI * 1234.5 * i / RATE));
        List<double[]> p = peaks(s);
        assertThat(p).hasSize(2);
        assertThat(p.get(0)[0]).isCloseTo(261.63, within(0.3));   // 0.06 of a 5.4 Hz bin, 2 cents
        assertThat(p.get(0)[1]).isCloseTo(0.5, within(0.02));
        assertThat(p.get(1)[0]).isCloseTo(1234.5, within(0.3));
        assertThat(p.get(1)[1]).isCloseTo(0.1, within(0.005));
    }

    @Test
    void rejectsMostLocalMaximaOfNoise() {
        Random random = new Random(2);
        float[] s = new float[N];
        for (int i = 0; i < N; i++) s[i] = (float) (0.3 * random.nextGaussian());
        // about a third of the 640 bins in the band are local maxima; few stand 6 dB above their neighbourhood
        assertThat(peaks(s).size()).isLessThan(60);
    }
}
