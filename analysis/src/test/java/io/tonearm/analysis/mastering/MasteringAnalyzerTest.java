package io.tonearm.analysis.mastering;

import io.tonearm.analysis.loudness.EbuR128Analyzer;
import io.tonearm.analysis.loudness.LoudnessResult;
import io.tonearm.analysis.output.DirectoryOutputStore;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.testing.DecodedAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Mastering checked by measuring its output again with the loudness analyzer, on the decoded output file. */
class MasteringAnalyzerTest {

    @TempDir
    Path dir;

    @Test
    void aQuietTrackIsBroughtToTheTargetUnderTheCeiling() throws Exception {
        float[] quiet = music(44_100, 2, 12, 0.03);
        MasteringResult r = master(Map.of(), quiet, 44_100, 2);

        System.out.printf("quiet: before %.2f LUFS, after %.2f LUFS %.2f dBTP, gain %.2f dB, limiter %.2f dB%n",
                r.before().integratedLufs(), r.after().integratedLufs(), r.after().truePeakDbtp(), r.gainDb(), r.limiterReductionMaxDb());
        assertThat(r.before().integratedLufs()).isLessThan(-28.0);
        assertThat(r.after().integratedLufs()).isCloseTo(-14.0, within(0.5));
        assertThat(r.after().truePeakDbtp()).isLessThanOrEqualTo(-1.0 + 0.1);
        assertThat(r.limiterReductionMaxDb()).isGreaterThan(0.0);
        assertThat(r.note()).isNull();
    }

    @Test
    void aLoudTrackIsBroughtDown() throws Exception {
        float[] loud = music(44_100, 2, 12, 4.0);
        for (int i = 0; i < loud.length; i++) loud[i] = (float) Math.tanh(loud[i]); // a brickwalled, clipped master
        MasteringResult r = master(Map.of(), loud, 44_100, 2);

        System.out.printf("loud: before %.2f LUFS %.2f dBTP, after %.2f LUFS %.2f dBTP, gain %.2f dB%n",
                r.before().integratedLufs(), r.before().truePeakDbtp(), r.after().integratedLufs(), r.after().truePeakDbtp(), r.gainDb());
        assertThat(r.before().integratedLufs()).isGreaterThan(-10.0);
        assertThat(r.gainDb()).isLessThan(-4.0);
        assertThat(r.after().integratedLufs()).isCloseTo(-14.0, within(0.5));
        assertThat(r.after().truePeakDbtp()).isLessThanOrEqualTo(-0.9);
        // turned down, nothing to limit: the output is the input times one gain, sample-aligned (latency compensated)
        assertThat(r.limiterReductionMaxDb()).isZero();
        float[] out = DecodedAudio.of(r.output()).samples();
        double xy = 0;
        double xx = 0;
        for (int i = 0; i < loud.length; i++) {
            xy += loud[i] * (double) out[i];
            xx += loud[i] * (double) loud[i];
        }
        double g = xy / xx;
        assertThat(20 * Math.log10(g)).isCloseTo(r.gainDb(), within(0.01));
        double err = 0;
        for (int i = 0; i < loud.length; i++) err += Math.pow(out[i] - g * loud[i], 2);
        assertThat(10 * Math.log10(xx * g * g / err)).isGreaterThan(100.0);
    }

    @Test
    void theLimiterHoldsInterSamplePeaksOfAFullScaleSignalUnderTheCeiling() throws Exception {
        // bursts of a sine at fs/4 sampled 45 degrees off its crest (sample peak 0 dBFS, true peak +3 dBTP) over a
        // quiet bed, so reaching -14 LUFS needs ~20 dB of gain and the bursts need more than that of limiting
        int rate = 48_000;
        float[] x = new float[rate * 8];
        for (int i = 0; i < x.length; i++) {
            boolean burst = i % (rate / 2) < 96; // 2 ms
            x[i] = burst ? (float) (Math.sqrt(2) * Math.sin(Math.PI / 2 * i + Math.PI / 4))
                    : (float) (0.02 * Math.sin(2 * Math.PI * 330 * i / rate));
        }
        MasteringResult r = master(Map.of(), x, rate, 1);

        System.out.printf("full scale: before %.2f dBTP, after %.2f dBTP, %.2f LUFS, limiter %.2f dB%n",
                r.before().truePeakDbtp(), r.after().truePeakDbtp(), r.after().integratedLufs(), r.limiterReductionMaxDb());
        assertThat(r.before().truePeakDbtp()).isGreaterThan(2.5);
        assertThat(r.after().truePeakDbtp()).isLessThanOrEqualTo(-1.0 + 0.1);
        assertThat(r.limiterReductionMaxDb()).isGreaterThan(10.0);
        assertThat(r.after().integratedLufs()).isCloseTo(-14.0, within(0.5));
    }

    @Test
    void transientsOverAQuietBedAreLimitedNotClipped() throws Exception {
        int rate = 44_100;
        float[] x = new float[rate * 8 * 2];
        for (int i = 0; i < x.length / 2; i++) {
            float bed = (float) (0.03 * Math.sin(2 * Math.PI * 220 * i / rate));
            boolean click = i % (rate / 2) < 40;
            float v = click ? (float) Math.sin(2 * Math.PI * 1000 * i / rate) : bed; // full-scale bursts every 0.5 s
            x[2 * i] = v;
            x[2 * i + 1] = v;
        }
        MasteringResult r = master(Map.of("ceiling_dbtp", -2.0), x, rate, 2);

        System.out.printf("transients: after %.2f LUFS %.2f dBTP, limiter %.2f dB%n",
                r.after().integratedLufs(), r.after().truePeakDbtp(), r.limiterReductionMaxDb());
        assertThat(r.limiterReductionMaxDb()).isGreaterThan(10.0);
        assertThat(r.after().truePeakDbtp()).isLessThanOrEqualTo(-2.0 + 0.1);
        assertThat(r.after().integratedLufs()).isCloseTo(-14.0, within(0.5));
    }

    @Test
    void silenceIsLeftAloneWithAClearNote() throws Exception {
        MasteringResult r = master(Map.of(), new float[48_000 * 2], 48_000, 1);

        assertThat(r.before().integratedLufs()).isNull();
        assertThat(r.after().integratedLufs()).isNull();
        assertThat(r.gainDb()).isZero();
        assertThat(r.note()).contains("silence");
        DecodedAudio out = DecodedAudio.of(r.output());
        assertThat(out.frames()).isEqualTo(96_000);
        for (float v : out.samples()) assertThat(v).isZero();
    }

    /** Runs the analyzer, then checks the output file: same rate, channels and length, and the reported "after". */
    private MasteringResult master(Map<String, ?> params, float[] input, int rate, int channels) throws Exception {
        MasteringResult r = Analyze.runWithOutputs(new MasteringAnalyzer(), params, input, rate, channels, new DirectoryOutputStore(dir));
        DecodedAudio out = DecodedAudio.of(r.output());
        assertThat(out.sampleRate()).isEqualTo(rate);
        assertThat(out.channels()).isEqualTo(channels);
        assertThat(out.samples()).hasSize(input.length);
        LoudnessResult remeasured = Analyze.run(new EbuR128Analyzer(), out.samples(), rate, channels);
        assertThat(remeasured.integratedLufs()).isEqualTo(r.after().integratedLufs());
        assertThat(remeasured.truePeakDbtp()).isEqualTo(r.after().truePeakDbtp());
        return r;
    }

    /** A beat (decaying low thumps and noise bursts) over sustained chords, scaled by {@code level}. */
    static float[] music(int rate, int channels, double seconds, double level) {
        int n = (int) (rate * seconds);
        float[] x = new float[n * channels];
        Random random = new Random(3);
        double[] chord = {220.0, 277.18, 329.63, 440.0};
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double beat = t % 0.5;
            double v = 0.7 * Math.exp(-beat / 0.08) * Math.sin(2 * Math.PI * 60 * beat);
            if (t % 1.0 >= 0.5) v += 0.4 * Math.exp(-beat / 0.04) * random.nextGaussian();
            for (double f : chord) v += 0.1 * Math.sin(2 * Math.PI * f * t);
            for (int c = 0; c < channels; c++) x[i * channels + c] = (float) (level * v);
        }
        return x;
    }
}
