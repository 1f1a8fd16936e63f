package io.tonearm.analysis.mastering;

import io.tonearm.analysis.Params;
import io.tonearm.analysis.output.DirectoryOutputStore;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.testing.DecodedAudio;
import io.tonearm.analysis.testing.WavFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tonal balance with a known truth: the reference is the input itself through a +4 dB treble shelf (and 6 dB
 * quieter, which level matching must ignore), so a correct balance makes the output's spectrum that of the reference.
 */
class TonalBalanceTest {

    private static final int RATE = 44_100;

    @TempDir
    Path dir;

    @Test
    void theOutputTakesTheReferencesTrebleTiltAndKeepsLoudnessAndCeiling() throws Exception {
        float[] input = pink(RATE, 2, 10, 0.05);
        Path reference = WavFiles.write(dir.resolve("reference.wav"), scaled(highShelf(input, 2, 3000, 4.0), 0.5), RATE, 2, 32);

        MasteringResult r = master(Map.of("reference_path", reference.toString()), input, 2);
        TonalBalanceReport tb = r.tonalBalance();
        DecodedAudio out = DecodedAudio.of(r.output());
        assertThat(out.samples()).hasSize(input.length);
        ThirdOctaveBands bands = ThirdOctaveBands.upTo(0.45 * RATE);
        double[] diff = TonalBalance.levelMatchedDifference(ltas(out.samples(), 2, bands), ltas(DecodedAudio.of(reference).samples(), 2, bands), all(bands));
        double[] before = TonalBalance.levelMatchedDifference(ltas(input, 2, bands), ltas(DecodedAudio.of(reference).samples(), 2, bands), all(bands));

        double worst = 0;
        double worstBefore = 0;
        for (int b = 0; b < bands.size(); b++) {
            if (bands.centre(b) < 200 || bands.centre(b) > 16_000) continue;
            worst = Math.max(worst, Math.abs(diff[b]));
            worstBefore = Math.max(worstBefore, Math.abs(before[b]));
        }
        System.out.printf("tonal balance: worst band difference 200 Hz-16 kHz %.2f dB after (%.2f dB before); "
                        + "RMS distance %.2f -> %.2f dB; %.2f LUFS, %.2f dBTP%n", worst, worstBefore,
                tb.distanceBeforeDb(), tb.distanceAfterDb(), r.after().integratedLufs(), r.after().truePeakDbtp());
        assertThat(worstBefore).isGreaterThan(2.0);
        assertThat(worst).isLessThanOrEqualTo(1.0);
        assertThat(tb.distanceAfterDb()).isLessThan(tb.distanceBeforeDb() / 3);
        assertThat(tb.strength()).isEqualTo(1.0);
        assertThat(tb.reference()).isEqualTo("reference.wav");
        assertThat(gainNear(tb, 10_000) - gainNear(tb, 200)).isCloseTo(4.0, within(0.7));
        assertThat(r.after().integratedLufs()).isCloseTo(-14.0, within(0.5));
        assertThat(r.after().truePeakDbtp()).isLessThanOrEqualTo(-1.0 + 0.2);
    }

    /**
     * Two different real recordings from madmom's test data (skipped without ../shared): a guitar clip mastered
     * toward a piano clip. There is no exact truth here, but a measurable one: within the bands where the ±6 dB
     * clamp does not bind, the output's level-matched third-octave spectrum must be much closer to the reference's
     * than the input's was, and loudness and ceiling must still hold.
     */
    @Test
    void aDifferentRealRecordingAsReferencePullsTheSpectrumTowardIt() throws Exception {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path audio = Path.of(shared, "refdata", "madmom", "audio");
        assumeTrue(Files.isRegularFile(audio.resolve("sample2.wav")) && Files.isRegularFile(audio.resolve("stereo_sample.wav")));
        DecodedAudio guitar = DecodedAudio.of(audio.resolve("sample2.wav"));
        Path reference = audio.resolve("stereo_sample.wav");

        MasteringResult r = master(Map.of("reference_path", reference.toString()), guitar.samples(), guitar.channels());
        DecodedAudio out = DecodedAudio.of(r.output());
        DecodedAudio piano = DecodedAudio.of(reference);
        ThirdOctaveBands bands = ThirdOctaveBands.upTo(0.45 * RATE);
        double[] ref = ltas(piano.samples(), piano.channels(), bands);
        double[] before = TonalBalance.levelMatchedDifference(ltas(guitar.samples(), guitar.channels(), bands), ref, all(bands));
        double[] after = TonalBalance.levelMatchedDifference(ltas(out.samples(), out.channels(), bands), ref, all(bands));
        TonalBalanceReport tb = r.tonalBalance();
        double sumBefore = 0, sumAfter = 0, sumIdeal = 0;
        int n = 0;
        for (int b = 0; b < bands.size(); b++) {
            // the bands the correction acted on (bands where either clip is near silence are left alone, by design)
            if (bands.centre(b) < 200 || bands.centre(b) > 16_000 || gainNear(tb, bands.centre(b)) == 0) continue;
            double reachable = Math.max(0, Math.abs(before[b]) - TonalBalance.MAX_GAIN_DB); // what the clamp leaves
            sumBefore += before[b] * before[b];
            sumAfter += after[b] * after[b];
            sumIdeal += reachable * reachable;
            n++;
        }
        double rmsBefore = Math.sqrt(sumBefore / n), rmsAfter = Math.sqrt(sumAfter / n), rmsIdeal = Math.sqrt(sumIdeal / n);
        System.out.printf("tonal balance, guitar toward piano (madmom): RMS band difference in the %d corrected bands "
                        + "%.2f -> %.2f dB (the ±%.0f dB clamp allows %.2f); %.2f LUFS, %.2f dBTP%n", n, rmsBefore, rmsAfter,
                TonalBalance.MAX_GAIN_DB, rmsIdeal, r.after().integratedLufs(), r.after().truePeakDbtp());
        assertThat(n).isGreaterThanOrEqualTo(8);
        assertThat(rmsBefore - rmsAfter).as("closer to the reference").isGreaterThan(3.0);
        assertThat(rmsAfter).as("as close as the clamp allows").isLessThan(rmsIdeal + 1.0);
        assertThat(tb.distanceAfterDb()).isLessThan(tb.distanceBeforeDb());
        assertThat(r.after().integratedLufs()).isCloseTo(-14.0, within(0.5));
        assertThat(r.after().truePeakDbtp()).isLessThanOrEqualTo(-1.0 + 0.2);
    }

    @Test
    void strengthScalesTheCurveAndZeroLeavesTheOutputBitIdentical() throws Exception {
        float[] input = pink(RATE, 1, 6, 0.05);
        Path reference = WavFiles.write(dir.resolve("ref.wav"), highShelf(input, 1, 3000, 4.0), RATE, 1, 32);

        MasteringResult plain = master(Map.of(), input, 1);
        MasteringResult zero = master(Map.of("reference_path", reference.toString(), "tonal_balance", 0), input, 1);
        MasteringResult half = master(Map.of("reference_path", reference.toString(), "tonal_balance", 0.5), input, 1);

        assertThat(zero.output().sha256()).isEqualTo(plain.output().sha256());
        assertThat(zero.tonalBalance().bands()).allSatisfy(b -> assertThat(b.gainDb()).isZero());
        assertThat(plain.tonalBalance()).isNull();
        assertThat(gainNear(half.tonalBalance(), 10_000) - gainNear(half.tonalBalance(), 200)).isCloseTo(2.0, within(0.4));
    }

    @Test
    void aMissingOrUndecodableReferenceFailsWithTheReason() throws Exception {
        float[] input = pink(RATE, 1, 2, 0.05);
        Path text = Files.writeString(dir.resolve("notes.wav"), "not audio at all");

        assertThatThrownBy(() -> master(Map.of("reference_path", dir.resolve("gone.wav").toString()), input, 1))
                .hasMessageContaining("reference recording gone.wav does not exist");
        assertThatThrownBy(() -> master(Map.of("reference_path", text.toString()), input, 1))
                .hasMessageContaining("reference recording cannot be decoded");
        assertThatThrownBy(() -> master(Map.of("reference_sha256", "ab".repeat(32)), input, 1))
                .hasMessageContaining("not in this catalog");
        assertThatThrownBy(() -> master(Map.of("tonal_balance", 1), input, 1))
                .hasMessageContaining("tonal_balance needs a reference");
    }

    @Test
    void theReferenceShaIsPartOfTheResultsIdentityItsLocalPathIsNot() throws Exception {
        var spec = new MasteringAnalyzer().spec();
        Params bySha = Params.of(spec, Map.of("reference_sha256", "ab".repeat(32)));
        Params resolved = bySha.withLocal("reference_path", "/var/blobs/ab");
        assertThat(bySha.hash()).isNotEqualTo(Params.defaults(spec).hash());
        assertThat(resolved.hash()).isEqualTo(bySha.hash());
        assertThat(resolved.asMap()).doesNotContainKey("reference_path");
        assertThat(resolved.string("reference_path")).isEqualTo("/var/blobs/ab");
        assertThat(Params.of(spec, Map.of("reference_path", "/x")).hash()).isEqualTo(Params.defaults(spec).hash());
    }

    private MasteringResult master(Map<String, ?> params, float[] input, int channels) throws Exception {
        return Analyze.runWithOutputs(new MasteringAnalyzer(), params, input, RATE, channels, new DirectoryOutputStore(dir));
    }

    private static double gainNear(TonalBalanceReport tb, double hz) {
        return tb.bands().stream().min((a, b) -> Double.compare(Math.abs(Math.log(a.hz() / hz)), Math.abs(Math.log(b.hz() / hz))))
                .orElseThrow().gainDb();
    }

    private static double[] ltas(float[] x, int channels, ThirdOctaveBands bands) {
        LongTermSpectrum s = new LongTermSpectrum(RATE, channels);
        s.samples(x, 0, x.length / channels);
        return s.bandsDb(bands);
    }

    private static boolean[] all(ThirdOctaveBands bands) {
        boolean[] used = new boolean[bands.size()];
        java.util.Arrays.fill(used, true);
        return used;
    }

    /** Pink noise (Paul Kellet's economy filter), the same in every channel. */
    static float[] pink(int rate, int channels, double seconds, double level) {
        Random random = new Random(11);
        int n = (int) (rate * seconds);
        float[] x = new float[n * channels];
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        for (int i = 0; i < n; i++) {
            double w = random.nextGaussian();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            double v = level * (b0 + b1 + b2 + w * 0.1848) / 4;
            for (int c = 0; c < channels; c++) x[i * channels + c] = (float) v;
        }
        return x;
    }

    /** RBJ high shelf (S = 1) of {@code gainDb} at {@code hz}, per channel. */
    static float[] highShelf(float[] x, int channels, double hz, double gainDb) {
        double a = Math.pow(10, gainDb / 40);
        double w0 = 2 * Math.PI * hz / RATE;
        double cos = Math.cos(w0);
        double alpha = Math.sin(w0) / 2 * Math.sqrt(2);
        double sq = 2 * Math.sqrt(a) * alpha;
        double b0 = a * ((a + 1) + (a - 1) * cos + sq);
        double b1 = -2 * a * ((a - 1) + (a + 1) * cos);
        double b2 = a * ((a + 1) + (a - 1) * cos - sq);
        double a0 = (a + 1) - (a - 1) * cos + sq;
        double a1 = 2 * ((a - 1) - (a + 1) * cos);
        double a2 = (a + 1) - (a - 1) * cos - sq;
        float[] y = new float[x.length];
        for (int c = 0; c < channels; c++) {
            double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
            for (int i = c; i < x.length; i += channels) {
                double v = (b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
                x2 = x1;
                x1 = x[i];
                y2 = y1;
                y1 = v;
                y[i] = (float) v;
            }
        }
        return y;
    }

    private static float[] scaled(float[] x, double g) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) (x[i] * g);
        return y;
    }
}
