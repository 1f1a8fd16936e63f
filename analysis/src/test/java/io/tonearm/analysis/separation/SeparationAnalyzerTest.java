package io.tonearm.analysis.separation;

import io.tonearm.analysis.output.DirectoryOutputStore;
import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.testing.DecodedAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Separation measured on mixes of known synthetic stems. For orientation only, published SDRs on MUSDB18 (real
 * music, from the literature, not comparable to these synthetic mixes): HPSS / REPET-style methods roughly
 * 0–5 dB per stem, Open-Unmix ~5–6 dB, Demucs ~6–8 dB.
 */
class SeparationAnalyzerTest {

    @TempDir
    Path dir;

    @Test
    void fourStemsFromAStereoMixAreRecognisableAndSumBackToTheMix() throws Exception {
        SyntheticStems truth = new SyntheticStems(44_100, 2, 8);
        SeparationResult result = Analyze.runWithOutputs(SeparationAnalyzer.fourStems(), Map.of(), truth.mix, 44_100, 2,
                new DirectoryOutputStore(dir));

        assertThat(result.stems().keySet()).containsExactly("drums", "bass", "vocals", "other");
        assertThat(result.method()).isEqualTo("dsp");
        assertThat(result.sampleRate()).isEqualTo(44_100);
        assertThat(result.channels()).isEqualTo(2);
        Map<String, Double> sdr = sdrPerStem(result, truth, truth.stems);
        System.out.println("4-stem SDR, 44.1 kHz stereo synthetic mix: " + sdr);
        // measured 6.7 / 8.7 / 12.4 / 7.4 dB
        assertThat(sdr.get("drums")).isGreaterThan(5.0);
        assertThat(sdr.get("bass")).isGreaterThan(7.0);
        assertThat(sdr.get("vocals")).isGreaterThan(10.0);
        assertThat(sdr.get("other")).isGreaterThan(6.0);
    }

    @Test
    void twoStemsFromAStereoMix() throws Exception {
        SyntheticStems truth = new SyntheticStems(44_100, 2, 8);
        SeparationResult result = Analyze.runWithOutputs(SeparationAnalyzer.twoStems(), Map.of(), truth.mix, 44_100, 2,
                new DirectoryOutputStore(dir));

        assertThat(result.stems().keySet()).containsExactly("vocals", "instrumental");
        Map<String, float[]> references = new LinkedHashMap<>();
        references.put("vocals", truth.stems.get("vocals"));
        references.put("instrumental", truth.instrumental());
        Map<String, Double> sdr = sdrPerStem(result, truth, references);
        System.out.println("2-stem SDR, 44.1 kHz stereo synthetic mix: " + sdr);
        // measured 12.4 / 21.1 dB
        assertThat(sdr.get("vocals")).isGreaterThan(10.0);
        assertThat(sdr.get("instrumental")).isGreaterThan(18.0);
    }

    @Test
    void monoAt48kHzKeepsRateAndChannels() throws Exception {
        SyntheticStems truth = new SyntheticStems(48_000, 1, 6);
        SeparationResult result = Analyze.runWithOutputs(SeparationAnalyzer.fourStems(), Map.of(), truth.mix, 48_000, 1,
                new DirectoryOutputStore(dir));

        assertThat(result.sampleRate()).isEqualTo(48_000);
        assertThat(result.channels()).isEqualTo(1);
        Map<String, Double> sdr = sdrPerStem(result, truth, truth.stems);
        System.out.println("4-stem SDR, 48 kHz mono synthetic mix: " + sdr);
        // measured 5.8 / 7.8 / 8.8 / 2.6 dB: with no stereo cue, vocals vs other rests on repetition alone
        assertThat(sdr.get("drums")).isGreaterThan(4.5);
        assertThat(sdr.get("bass")).isGreaterThan(6.0);
        assertThat(sdr.get("vocals")).isGreaterThan(6.0);
        assertThat(sdr.get("other")).isGreaterThan(1.0);
    }

    @Test
    void surroundInputKeepsAllSixChannels() throws Exception {
        SyntheticStems truth = new SyntheticStems(48_000, 6, 2);
        SeparationResult result = Analyze.runWithOutputs(SeparationAnalyzer.twoStems(), Map.of(), truth.mix, 48_000, 6,
                new DirectoryOutputStore(dir));
        Map<String, float[]> references = new LinkedHashMap<>();
        references.put("vocals", truth.stems.get("vocals"));
        references.put("instrumental", truth.instrumental());
        sdrPerStem(result, truth, references); // checks rate, channels, length and sum-back
        assertThat(result.channels()).isEqualTo(6);
    }

    @Test
    void shortInputsStillYieldStemsOfTheSameLength() throws Exception {
        float[] click = new float[300 * 2];
        click[100] = 0.5f;
        click[101] = -0.5f;
        SeparationResult result = Analyze.runWithOutputs(SeparationAnalyzer.twoStems(), Map.of(), click, 44_100, 2,
                new DirectoryOutputStore(dir));
        float[] sum = new float[click.length];
        for (OutputRef ref : result.stems().values()) {
            DecodedAudio stem = DecodedAudio.of(ref);
            assertThat(stem.frames()).isEqualTo(300);
            for (int i = 0; i < sum.length; i++) sum[i] += stem.samples()[i];
        }
        assertThat(SyntheticStems.sdr(click, sum)).isGreaterThan(60.0);
    }

    /** Decodes every stem with the production decoder, checks format and sum-back, and returns SDR per stem. */
    private static Map<String, Double> sdrPerStem(SeparationResult result, SyntheticStems truth, Map<String, float[]> references)
            throws Exception {
        Map<String, Double> sdr = new LinkedHashMap<>();
        float[] sum = new float[truth.mix.length];
        for (Map.Entry<String, OutputRef> e : result.stems().entrySet()) {
            DecodedAudio stem = DecodedAudio.of(e.getValue());
            assertThat(stem.sampleRate()).isEqualTo(truth.rate);
            assertThat(stem.channels()).isEqualTo(truth.channels);
            assertThat(stem.samples()).hasSize(truth.mix.length);
            for (int i = 0; i < sum.length; i++) sum[i] += stem.samples()[i];
            sdr.put(e.getKey(), Math.round(SyntheticStems.sdr(references.get(e.getKey()), stem.samples()) * 10) / 10.0);
        }
        double sumBack = SyntheticStems.sdr(truth.mix, sum);
        System.out.printf("stems sum back to the mix with error %.1f dB below it%n", sumBack);
        assertThat(sumBack).as("mixture consistency (dB of mix over residual)").isGreaterThan(60.0);
        return sdr;
    }

}
