package io.tonearm.analysis.loudness;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * True peak within EBU Tech 3341's tolerance (+0.2 / -0.4 dB) on sines whose analogue peak is known exactly,
 * in the style of Tech 3341 cases 15-23: full-scale and -6 dB sines at several frequencies and phases, and the
 * classic fs/4 sine at 45 degrees whose samples sit 3 dB below its peak.
 */
class TruePeakTest {

    private static final EbuR128Analyzer ANALYZER = new EbuR128Analyzer();

    static Stream<Arguments> sines() {
        List<Arguments> cases = new ArrayList<>();
        for (int rate : new int[] {44_100, 48_000}) {
            for (int channels : new int[] {1, 2}) {
                // amplitude (linear), frequency, phase in degrees
                cases.add(Arguments.of(rate, channels, 0.5, 576.0, 0.0));
                cases.add(Arguments.of(rate, channels, 0.5, 576.0, 45.0));
                cases.add(Arguments.of(rate, channels, 0.5, 1152.0, 30.0));
                cases.add(Arguments.of(rate, channels, 0.5, 1882.0, 60.0));
                cases.add(Arguments.of(rate, channels, 1.0, 997.0, 0.0));
                cases.add(Arguments.of(rate, channels, 1.0, 5000.0, 22.5));
                cases.add(Arguments.of(rate, channels, 1.0, 9600.0, 45.0));
                cases.add(Arguments.of(rate, channels, 1.0, rate / 6.0, 30.0));
                cases.add(Arguments.of(rate, channels, Math.sqrt(2), rate / 4.0, 45.0)); // samples at 0 dBFS, peak +3 dBTP
            }
        }
        cases.add(Arguments.of(96_000, 2, Math.sqrt(2), 24_000.0, 45.0));
        cases.add(Arguments.of(96_000, 2, 1.0, 9600.0, 45.0));
        return cases.stream();
    }

    @ParameterizedTest(name = "{2} x sine {3} Hz at {4} deg, {0} Hz, {1} ch")
    @MethodSource("sines")
    void truePeakOfSineWithinTech3341Tolerance(int rate, int channels, double amplitude, double hz, double phase) {
        float[] pcm = Tones.faded(rate, channels, amplitude, hz, phase, 2.0);
        LoudnessResult r = Analyze.run(ANALYZER, pcm, rate, channels);
        double expected = 20 * Math.log10(amplitude);
        System.out.printf("[truepeak] %6d Hz %d ch sine %8.1f Hz %5.1f deg: expected %+.2f dBTP, measured %+.2f (sample peak %+.2f)%n",
                rate, channels, hz, phase, expected, r.truePeakDbtp(), r.samplePeakDbfs());
        assertThat(r.truePeakDbtp()).isBetween(expected - 0.4, expected + 0.2);
        assertThat(r.truePeakDbtp()).isGreaterThanOrEqualTo(r.samplePeakDbfs());
    }

    @Test
    void quarterRateSineAt45DegreesReadsThreeDecibelsAboveItsSamples() {
        float[] pcm = Tones.faded(48_000, 2, Math.sqrt(2), 12_000, 45, 1.0);
        LoudnessResult r = Analyze.run(ANALYZER, pcm, 48_000, 2);
        assertThat(r.samplePeakDbfs()).isCloseTo(0.0, within(0.01));
        assertThat(r.truePeakDbtp() - r.samplePeakDbfs()).isCloseTo(3.01, within(0.2));
    }

    @Test
    void perChannelPeaksFollowTheChannels() {
        int rate = 44_100;
        float[] left = Tones.faded(rate, 1, 0.25, 1000, 0, 1.0);
        float[] right = Tones.faded(rate, 1, Math.sqrt(2) * 0.5, rate / 4.0, 45, 1.0);
        float[] pcm = new float[left.length * 2];
        for (int i = 0; i < left.length; i++) {
            pcm[2 * i] = left[i];
            pcm[2 * i + 1] = right[i];
        }
        LoudnessResult r = Analyze.run(ANALYZER, pcm, rate, 2);
        assertThat(r.channelTruePeaksDbtp().get(0)).isBetween(-12.04 - 0.4, -12.04 + 0.2);
        assertThat(r.channelTruePeaksDbtp().get(1)).isBetween(-3.01 - 0.4, -3.01 + 0.2);
        assertThat(r.truePeakDbtp()).isEqualTo(r.channelTruePeaksDbtp().get(1));
        assertThat(r.truePeakOversampling()).isEqualTo(4);
    }

    @Test
    void oversamplingFollowsTheRate() {
        assertThat(new TruePeakMeter(44_100, 1).factor()).isEqualTo(4);
        assertThat(new TruePeakMeter(88_200, 1).factor()).isEqualTo(4);
        assertThat(new TruePeakMeter(96_000, 1).factor()).isEqualTo(2);
        assertThat(new TruePeakMeter(192_000, 1).factor()).isEqualTo(1);
    }

    @Test
    void atOneNinetyTwoKilohertzTruePeakIsTheSamplePeak() {
        float[] pcm = Tones.faded(192_000, 1, 0.8, 1000, 10, 0.5);
        LoudnessResult r = Analyze.run(ANALYZER, pcm, 192_000, 1);
        assertThat(r.truePeakDbtp()).isEqualTo(r.samplePeakDbfs());
    }

    @Test
    void skippingChunksNeverChangesTheResult() {
        // a loud start sets a high peak early; the quieter rest is then mostly skipped and must not matter
        int rate = 44_100;
        float[] pcm = Tones.faded(rate, 1, 1.0, 11_025, 45, 3.0);
        for (int i = rate; i < pcm.length; i++) pcm[i] *= 0.3f;
        TruePeakMeter skipping = new TruePeakMeter(rate, 1);
        skipping.add(pcm, 0, pcm.length);
        skipping.finish();
        assertThat(skipping.interpolatedShare()).isLessThan(0.5);
        // the same samples, played quiet part first so nothing can be skipped before the peak
        float[] reversed = new float[pcm.length];
        for (int i = 0; i < pcm.length; i++) reversed[i] = pcm[pcm.length - 1 - i];
        TruePeakMeter full = new TruePeakMeter(rate, 1);
        full.add(reversed, 0, reversed.length);
        full.finish();
        assertThat(skipping.peaks()[0]).isCloseTo(full.peaks()[0], within(1e-4f));
    }
}
