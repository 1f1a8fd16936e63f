package io.tonearm.analysis.loudness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KWeightingFilterTest {

    @Test
    void derivedCoefficientsReproduceTheBs1770TableAt48kHz() {
        KWeightingFilter.Coefficients c = KWeightingFilter.Coefficients.forRate(48_000);
        // ITU-R BS.1770-4, Tables 1 and 2
        assertThat(c.sb0()).isCloseTo(1.53512485958697, within(1e-8));
        assertThat(c.sb1()).isCloseTo(-2.69169618940638, within(1e-8));
        assertThat(c.sb2()).isCloseTo(1.19839281085285, within(1e-8));
        assertThat(c.sa1()).isCloseTo(-1.69065929318241, within(1e-8));
        assertThat(c.sa2()).isCloseTo(0.73248077421585, within(1e-8));
        assertThat(c.ha1()).isCloseTo(-1.99004745483398, within(1e-8));
        assertThat(c.ha2()).isCloseTo(0.99007225036621, within(1e-8));
    }

    @Test
    void responseAtOneKilohertzBarelyDependsOnTheRate() {
        double reference = gainAt(48_000, 1000);
        // about the +0.691 dB that the -0.691 in the loudness formula cancels
        assertThat(reference).isCloseTo(0.691, within(0.01));
        for (int rate : new int[] {32_000, 44_100, 96_000, 192_000}) {
            assertThat(gainAt(rate, 1000)).as("rate " + rate).isCloseTo(reference, within(0.03));
        }
        // the bilinear transform warps frequencies more at low rates (libebur128 shares this)
        assertThat(gainAt(22_050, 1000)).isCloseTo(reference, within(0.05));
        // the shelf lifts high frequencies by ~4 dB; the RLB high-pass cuts the lows
        assertThat(gainAt(44_100, 10_000)).isCloseTo(4.0, within(0.1));
        assertThat(gainAt(44_100, 20)).isLessThan(-10);
    }

    private static double gainDbOf(float[] x, int rate, double hz) {
        KWeightingFilter f = new KWeightingFilter(KWeightingFilter.Coefficients.forRate(rate));
        int settle = rate;
        f.sumOfSquares(x, 0, 1, settle);
        double meanSquare = f.sumOfSquares(x, settle, 1, x.length - settle) / (x.length - settle);
        return 10 * Math.log10(meanSquare / 0.5);
    }

    private static double gainAt(int rate, double hz) {
        float[] x = new float[rate * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
        return gainDbOf(x, rate, hz);
    }
}
