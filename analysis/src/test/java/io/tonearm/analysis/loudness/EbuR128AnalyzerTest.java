package io.tonearm.analysis.loudness;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * EBU Tech 3341 (loudness meter) and Tech 3342 (loudness range) minimum requirements on the synthesized test
 * signals those documents describe, at 44.1 and 48 kHz. The spec's signals are stereo; the mono variants expect
 * the stereo value minus 3.01 dB because a mono file counts its channel once (libebur128's default).
 */
class EbuR128AnalyzerTest {

    private static final EbuR128Analyzer ANALYZER = new EbuR128Analyzer();
    private static final double MONO_OFFSET = -10 * Math.log10(2);

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of(44_100, 2), Arguments.of(48_000, 2), Arguments.of(44_100, 1), Arguments.of(48_000, 1));
    }

    private static LoudnessResult measure(float[] pcm, int rate, int channels) {
        return Analyze.run(ANALYZER, pcm, rate, channels);
    }

    private static double expected(double stereoValue, int channels) {
        return channels == 1 ? stereoValue + MONO_OFFSET : stereoValue;
    }

    private static void report(String label, int rate, int channels, String what, double expected, Double measured) {
        System.out.printf("[loudness] %-22s %6d Hz %d ch %-10s expected %7.2f measured %7.2f%n",
                label, rate, channels, what, expected, measured);
    }

    @ParameterizedTest(name = "3341 case 1 at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case1_constantToneAtMinus23(int rate, int channels) {
        LoudnessResult r = measure(Tones.of(rate, channels).tone(-23, 20).build(), rate, channels);
        double e = expected(-23, channels);
        report("3341-1", rate, channels, "I", e, r.integratedLufs());
        assertThat(r.integratedLufs()).isCloseTo(e, within(0.1));
        assertThat(r.maxMomentaryLufs()).isCloseTo(e, within(0.1));
        assertThat(r.maxShortTermLufs()).isCloseTo(e, within(0.1));
        assertThat(r.loudnessRange()).isCloseTo(0.0, within(0.1));
    }

    @ParameterizedTest(name = "3341 case 2 at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case2_constantToneAtMinus33(int rate, int channels) {
        LoudnessResult r = measure(Tones.of(rate, channels).tone(-33, 20).build(), rate, channels);
        double e = expected(-33, channels);
        report("3341-2", rate, channels, "I", e, r.integratedLufs());
        assertThat(r.integratedLufs()).isCloseTo(e, within(0.1));
        assertThat(r.maxMomentaryLufs()).isCloseTo(e, within(0.1));
        assertThat(r.maxShortTermLufs()).isCloseTo(e, within(0.1));
    }

    @ParameterizedTest(name = "3341 case 5 at {0} Hz")
    @org.junit.jupiter.params.provider.ValueSource(ints = {8_000, 11_025, 16_000, 22_050, 32_000, 88_200, 96_000, 192_000})
    void tech3341case5_atOtherRates(int rate) {
        float[] pcm = Tones.of(rate, 2).tone(-26, 20).tone(-20, 20.1).tone(-26, 20).build();
        LoudnessResult r = measure(pcm, rate, 2);
        report("3341-5", rate, 2, "I", -23, r.integratedLufs());
        assertThat(r.integratedLufs()).isCloseTo(-23.0, within(0.1));
        assertThat(r.maxMomentaryLufs()).isCloseTo(-20.0, within(0.1));
        assertThat(r.maxShortTermLufs()).isCloseTo(-20.0, within(0.1));
        assertThat(r.loudnessRange()).isCloseTo(6.0, within(1.0));
    }

    @ParameterizedTest(name = "3341 case 3 at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case3_relativeGateDropsQuietEnds(int rate, int channels) {
        float[] pcm = Tones.of(rate, channels).tone(-36, 10).tone(-23, 60).tone(-36, 10).build();
        LoudnessResult r = measure(pcm, rate, channels);
        report("3341-3", rate, channels, "I", expected(-23, channels), r.integratedLufs());
        assertThat(r.integratedLufs()).isCloseTo(expected(-23, channels), within(0.1));
    }

    @ParameterizedTest(name = "3341 case 4 at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case4_absoluteAndRelativeGates(int rate, int channels) {
        float[] pcm = Tones.of(rate, channels).tone(-72, 10).tone(-36, 10).tone(-23, 60).tone(-36, 10).tone(-72, 10).build();
        LoudnessResult r = measure(pcm, rate, channels);
        report("3341-4", rate, channels, "I", expected(-23, channels), r.integratedLufs());
        assertThat(r.integratedLufs()).isCloseTo(expected(-23, channels), within(0.1));
    }

    @ParameterizedTest(name = "3341 case 5 at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case5_steppedLevels(int rate, int channels) {
        float[] pcm = Tones.of(rate, channels).tone(-26, 20).tone(-20, 20.1).tone(-26, 20).build();
        LoudnessResult r = measure(pcm, rate, channels);
        report("3341-5", rate, channels, "I", expected(-23, channels), r.integratedLufs());
        assertThat(r.integratedLufs()).isCloseTo(expected(-23, channels), within(0.1));
    }

    @ParameterizedTest(name = "3341 case 9 (short-term) at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case9_shortTermConstantOverAlternatingTone(int rate, int channels) {
        Tones tones = Tones.of(rate, channels);
        for (int i = 0; i < 10; i++) tones.tone(-20, 1.34).tone(-30, 1.66);
        LoudnessResult r = measure(tones.build(), rate, channels);
        report("3341-9", rate, channels, "S max", expected(-23, channels), r.maxShortTermLufs());
        assertThat(r.maxShortTermLufs()).isCloseTo(expected(-23, channels), within(0.1));
        // every full 3 s window holds one whole period, so short-term loudness is flat: no loudness range
        assertThat(r.loudnessRange()).isCloseTo(0.0, within(0.1));
    }

    @ParameterizedTest(name = "3341 case 10 (max short-term of bursts) at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case10_maxShortTermOfThreeSecondBursts(int rate, int channels) {
        for (int k = 0; k < 5; k++) {
            double lead = 1.0 + k * 0.0237; // the burst starts off the 100 ms grid
            float[] pcm = Tones.of(rate, channels).silence(lead).tone(-23, 3).silence(2).build();
            LoudnessResult r = measure(pcm, rate, channels);
            report("3341-10 lead " + lead, rate, channels, "S max", expected(-23, channels), r.maxShortTermLufs());
            assertThat(r.maxShortTermLufs()).isCloseTo(expected(-23, channels), within(0.1));
        }
    }

    @ParameterizedTest(name = "3341 case 13 (max momentary of bursts) at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case13_maxMomentaryOfShortBursts(int rate, int channels) {
        for (int k = 0; k < 5; k++) {
            double lead = 1.0 + k * 0.0237; // the burst starts off the 100 ms grid
            float[] pcm = Tones.of(rate, channels).silence(lead).tone(-23, 0.4).silence(1).build();
            LoudnessResult r = measure(pcm, rate, channels);
            report("3341-13 lead " + lead, rate, channels, "M max", expected(-23, channels), r.maxMomentaryLufs());
            assertThat(r.maxMomentaryLufs()).isCloseTo(expected(-23, channels), within(0.1));
        }
    }

    @ParameterizedTest(name = "3341 case 12 (momentary) at {0} Hz, {1} ch")
    @MethodSource("formats")
    void tech3341case12_momentaryConstantOverAlternatingTone(int rate, int channels) {
        Tones tones = Tones.of(rate, channels);
        for (int i = 0; i < 50; i++) tones.tone(-20, 0.18).tone(-30, 0.22);
        LoudnessResult r = measure(tones.build(), rate, channels);
        report("3341-12", rate, channels, "M max", expected(-23, channels), r.maxMomentaryLufs());
        assertThat(r.maxMomentaryLufs()).isCloseTo(expected(-23, channels), within(0.1));
    }

    static Stream<Arguments> tech3342() {
        List<Arguments> cases = new ArrayList<>();
        for (int rate : new int[] {44_100, 48_000}) {
            for (int channels : new int[] {2, 1}) {
                cases.add(Arguments.of(1, rate, channels, new double[] {-20, -30}, 10.0));
                cases.add(Arguments.of(2, rate, channels, new double[] {-20, -15}, 5.0));
                cases.add(Arguments.of(3, rate, channels, new double[] {-40, -20}, 20.0));
                cases.add(Arguments.of(4, rate, channels, new double[] {-50, -35, -20, -35, -50}, 15.0));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "3342 case {0} at {1} Hz, {2} ch")
    @MethodSource("tech3342")
    void tech3342_loudnessRange(int number, int rate, int channels, double[] levels, double expectedLra) {
        Tones tones = Tones.of(rate, channels);
        for (double level : levels) tones.tone(level, 20);
        LoudnessResult r = measure(tones.build(), rate, channels);
        report("3342-" + number, rate, channels, "LRA", expectedLra, r.loudnessRange());
        assertThat(r.loudnessRange()).isCloseTo(expectedLra, within(1.0));
    }

    @Test
    void tech3341case6_fiveChannelWeightsWithLfeIgnored() {
        int rate = 48_000;
        // L, R -28 dBFS; C -24; LFE a loud tone that must not count; Ls, Rs -30 (weighted +1.5 dB)
        double[] levels = {-28, -28, -24, -6, -30, -30};
        float[] pcm = new float[rate * 20 * 6];
        for (int c = 0; c < 6; c++) {
            float[] one = Tones.of(rate, 1).frequency(c == 3 ? 60 : 1000).tone(levels[c], 20).build();
            for (int i = 0; i < one.length; i++) pcm[i * 6 + c] = one[i];
        }
        LoudnessResult r = Analyze.run(ANALYZER, Map.of(), pcm, rate, 6, "5.1");
        report("3341-6 (5.1)", rate, 6, "I", -23, r.integratedLufs());
        assertThat(r.integratedLufs()).isCloseTo(-23.0, within(0.1));
        assertThat(r.channelTruePeaksDbtp()).hasSize(6);
    }

    @Test
    void surroundChannelReadsOneAndAHalfDecibelsLouderAndLfeDoesNotCount() {
        int rate = 48_000;
        double onLeft = toneOnOneChannel(rate, "5.1", 0).integratedLufs();
        double onBackLeft = toneOnOneChannel(rate, "5.1", 4).integratedLufs();
        double onSideRight = toneOnOneChannel(rate, "5.1(side)", 5).integratedLufs();
        double onCentre = toneOnOneChannel(rate, "5.1", 2).integratedLufs();
        LoudnessResult onLfe = toneOnOneChannel(rate, "5.1", 3);
        System.out.printf("[loudness] 5.1 single channel: L %.2f, C %.2f, BL %.2f, SR(side) %.2f, LFE %s%n",
                onLeft, onCentre, onBackLeft, onSideRight, onLfe.integratedLufs());
        assertThat(onBackLeft - onLeft).isCloseTo(10 * Math.log10(1.41), within(0.02));
        assertThat(onSideRight - onLeft).isCloseTo(10 * Math.log10(1.41), within(0.02));
        assertThat(onCentre).isCloseTo(onLeft, within(0.01));
        assertThat(onLfe.integratedLufs()).isNull();
        assertThat(onLfe.samplePeakDbfs()).isCloseTo(-20.0, within(0.01)); // peaks still see the LFE
    }

    @Test
    void unknownLayoutWeighsEveryChannelOne() {
        double first = toneOnOneChannel(48_000, null, 0).integratedLufs();
        double fifth = toneOnOneChannel(48_000, null, 4).integratedLufs();
        double fourth = toneOnOneChannel(48_000, null, 3).integratedLufs();
        assertThat(fifth).isCloseTo(first, within(0.01));
        assertThat(fourth).isCloseTo(first, within(0.01));
    }

    private static LoudnessResult toneOnOneChannel(int rate, String layout, int channel) {
        float[] pcm = Tones.of(rate, 6).tone(-20, 5).build(c -> c == channel);
        return Analyze.run(ANALYZER, Map.of(), pcm, rate, 6, layout);
    }

    @Test
    void silenceGivesNullsNotInfinities() throws Exception {
        LoudnessResult r = measure(new float[48_000 * 2 * 10], 48_000, 2);
        assertThat(r.integratedLufs()).isNull();
        assertThat(r.loudnessRange()).isNull();
        assertThat(r.truePeakDbtp()).isNull();
        assertThat(r.samplePeakDbfs()).isNull();
        assertThat(r.maxMomentaryLufs()).isNull();
        assertThat(r.maxShortTermLufs()).isNull();
        assertThat(r.gatedBlocks()).isZero();
        String json = Json.mapper().writeValueAsString(r);
        assertThat(json).contains("\"integrated_lufs\":null", "\"loudness_range\":null", "\"true_peak_dbtp\":null",
                "\"sample_peak_dbfs\":null", "\"max_momentary_lufs\":null", "\"max_short_term_lufs\":null");
        assertThat(json).doesNotContain("Infinity", "NaN");
    }

    @Test
    void belowTheAbsoluteGateCountsAsSilence() {
        LoudnessResult r = measure(Tones.of(48_000, 2).tone(-75, 10).build(), 48_000, 2);
        assertThat(r.integratedLufs()).isNull();
        assertThat(r.maxMomentaryLufs()).isNull();
        assertThat(r.samplePeakDbfs()).isCloseTo(-75.0, within(0.01));
    }

    @Test
    void signalShorterThanOneBlockHasNoLoudnessButHasPeaks() {
        LoudnessResult r = measure(Tones.of(44_100, 2).tone(-20, 0.3).build(), 44_100, 2);
        assertThat(r.integratedLufs()).isNull();
        assertThat(r.maxMomentaryLufs()).isNull();
        assertThat(r.maxShortTermLufs()).isNull();
        assertThat(r.loudnessRange()).isNull();
        assertThat(r.samplePeakDbfs()).isCloseTo(-20.0, within(0.01));
        assertThat(r.truePeakDbtp()).isCloseTo(-20.0, within(0.05));
    }

    @Test
    void emptySignalDoesNotFail() {
        LoudnessResult r = measure(new float[0], 48_000, 2);
        assertThat(r.integratedLufs()).isNull();
        assertThat(r.truePeakDbtp()).isNull();
    }

    @Test
    void oneSecondHasIntegratedButNoShortTerm() {
        LoudnessResult r = measure(Tones.of(48_000, 2).tone(-23, 1).build(), 48_000, 2);
        assertThat(r.integratedLufs()).isCloseTo(-23.0, within(0.1));
        assertThat(r.maxShortTermLufs()).isNull();
        assertThat(r.loudnessRange()).isNull();
    }

    @Test
    void truePeakCanBeSwitchedOff() {
        LoudnessResult r = Analyze.run(ANALYZER, Map.of("true_peak", false), Tones.of(48_000, 2).tone(-10, 2).build(), 48_000, 2);
        assertThat(r.truePeakDbtp()).isNull();
        assertThat(r.truePeakOversampling()).isNull();
        assertThat(r.samplePeakDbfs()).isCloseTo(-10.0, within(0.01));
        assertThat(r.integratedLufs()).isCloseTo(-10.0, within(0.1));
    }

    @Test
    void resultDoesNotDependOnHowTheStreamIsCut() {
        int rate = 44_100;
        float[] pcm = LoudnessSpeedTest.loudMaster(rate, rate * 8);
        LoudnessResult reference = null;
        for (int block : new int[] {1, 7, 255, 4410, 100_000}) {
            EbuR128Analyzer.Meter meter = new EbuR128Analyzer.Meter(rate, 2, ChannelWeights.forLayout("stereo", 2), true);
            int frames = pcm.length / 2;
            for (int off = 0; off < frames; off += block) meter.samples(pcm, off * 2, Math.min(block, frames - off));
            meter.end();
            LoudnessResult r = meter.result();
            if (reference == null) reference = r;
            assertThat(r).as("block of %d frames", block).isEqualTo(reference);
        }
        assertThat(reference.integratedLufs()).isNotNull();
    }

    @Test
    void registeredUnderItsNameAndAlias() {
        assertThat(StandardAnalyzers.registry().select("lufs", Map.of()).analyzer()).isInstanceOf(EbuR128Analyzer.class);
        assertThat(StandardAnalyzers.registry().select("loudness-ebur128:1", Map.of()).analyzer()).isInstanceOf(EbuR128Analyzer.class);
    }
}
