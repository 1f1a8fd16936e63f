package io.tonearm.analysis.separation;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.output.DirectoryOutputStore;
import io.tonearm.analysis.output.OutputRef;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.testing.DecodedAudio;
import io.tonearm.analysis.testing.TinySeparationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code method=onnx} with the tiny network of {@link TinySeparationModel}, whose stems are known FIR filters of its
 * input: every stem is checked against the filters' response to a sum of sines (steady state, so the expected stem
 * is each sine scaled by the filter's real zero-phase gain), through resampling to 22050 Hz and back, chunking and
 * overlap-add. Each error case must name what is wrong.
 */
class OnnxSeparationTest {

    /** Sines (Hz) and their amplitudes on the left and right channels: two in the bass band, two in the band-pass, one above. */
    static final double[] HZ = {90, 180, 1200, 2000, 5000};
    static final double[][] AMPLITUDE = {{0.20, 0.10, 0.15, 0.10, 0.08}, {0.05, 0.20, 0.05, 0.15, 0.10}};
    /** Chunk edges and signal ends: beyond this from the file's start and end the stems are in steady state. */
    static final double EDGE_SECONDS = 0.05;
    /** Worst deviation of a stem from its filter's response, as a share of the mix's peak (measured 0.0006–0.0011). */
    static final double TOLERANCE = 0.01;

    @TempDir
    Path dir;

    @Test
    void fourStemsFollowTheModelsFiltersAndSumBackToTheMix() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("models"));
        Sines sines = new Sines(44_100, 2, 3.0);
        SeparationResult result = separate(SeparationAnalyzer.fourStems(new ModelStore(models)), sines);

        assertThat(result.stems().keySet()).containsExactly("drums", "bass", "vocals", "other");
        assertThat(result.method()).isEqualTo("onnx");
        assertThat(result.sampleRate()).isEqualTo(44_100);
        assertThat(result.channels()).isEqualTo(2);
        assertThat(result.model().name()).isEqualTo("tiny-filters");
        assertThat(result.model().sampleRate()).isEqualTo(22_050);
        assertThat(result.model().stems()).containsExactly("bass", "vocals", "other");
        assertThat(result.model().sha256()).isEqualTo(AnalysisRunner.sha256(models.resolve("separation/separation.onnx")));

        Map<String, float[]> stems = decode(result, sines);
        assertThat(stems.get("drums")).as("the model has no drums: silence").containsOnly(0f);
        double bass = sines.worstError(stems.get("bass"), "bass");
        double vocals = sines.worstError(stems.get("vocals"), "vocals");
        double other = sines.worstError(stems.get("other"), "other");
        System.out.printf("onnx 4-stem, 44.1 kHz stereo via 22.05 kHz: worst error / peak: bass %.5f, vocals %.5f, other %.5f%n",
                bass, vocals, other);
        assertThat(bass).isLessThan(TOLERANCE);
        assertThat(vocals).isLessThan(TOLERANCE);
        assertThat(other).isLessThan(TOLERANCE);
        // the bass stem is not the mix: the filter really took the band
        assertThat(sines.worstError(sines.mix, "bass")).isGreaterThan(0.3);
    }

    @Test
    void twoStemsFromAMonoFileAt48kHzThroughTheStereoModel() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("models"));
        Sines sines = new Sines(48_000, 1, 2.5);
        SeparationResult result = separate(SeparationAnalyzer.twoStems(new ModelStore(models)), sines);

        assertThat(result.stems().keySet()).containsExactly("vocals", "instrumental");
        assertThat(result.channels()).isEqualTo(1);
        Map<String, float[]> stems = decode(result, sines);
        double vocals = sines.worstError(stems.get("vocals"), "vocals");
        double instrumental = sines.worstError(stems.get("instrumental"), "bass+other");
        System.out.printf("onnx 2-stem, 48 kHz mono: worst error / peak: vocals %.5f, instrumental %.5f%n", vocals, instrumental);
        assertThat(vocals).isLessThan(TOLERANCE);
        assertThat(instrumental).isLessThan(TOLERANCE);
    }

    @Test
    void atTheModelsOwnRateNothingIsResampled() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("models"));
        Sines sines = new Sines(22_050, 2, 2.0);
        SeparationResult result = separate(SeparationAnalyzer.fourStems(new ModelStore(models)), sines);

        Map<String, float[]> stems = decode(result, sines);
        assertThat(sines.worstError(stems.get("bass"), "bass")).isLessThan(TOLERANCE);
        assertThat(sines.worstError(stems.get("vocals"), "vocals")).isLessThan(TOLERANCE);
    }

    @Test
    void chunkBoundariesAreSeamlessWithOverlapAndAudibleWithout() throws Exception {
        Sines sines = new Sines(44_100, 2, 3.0);
        Path blended = TinySeparationModel.install(dir.resolve("blended"));
        Path hard = TinySeparationModel.install(dir.resolve("hard"), "tiny-separation.onnx", s -> s.put("overlap", 0.0));

        float[] smooth = decode(separate(SeparationAnalyzer.fourStems(new ModelStore(blended)), sines), sines).get("bass");
        float[] cut = decode(separate(SeparationAnalyzer.fourStems(new ModelStore(hard)), sines), sines).get("bass");

        // chunk k starts at k·hop model samples (22050 Hz) and ends chunk later; look at ±10 ms around every edge
        double overlapped = sines.worstErrorNearEdges(smooth, "bass", 8192 - 2048, 8192);
        double butted = sines.worstErrorNearEdges(cut, "bass", 8192, 8192);
        System.out.printf("worst bass error / peak within 10 ms of a chunk edge: overlap 0.25 %.5f, overlap 0 %.5f%n",
                overlapped, butted);
        assertThat(overlapped).isLessThan(TOLERANCE);
        assertThat(butted).as("without overlap the FIR's zero padding shows at each chunk edge").isGreaterThan(5 * TOLERANCE);
    }

    @Test
    void aFileShorterThanOneChunkGivesStemsOfItsLength() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("models"));
        float[] click = new float[300 * 2];
        click[100] = 0.5f;
        click[101] = -0.5f;
        SeparationResult result = Analyze.runWithOutputs(SeparationAnalyzer.fourStems(new ModelStore(models)),
                Map.of("method", "onnx"), click, 44_100, 2, new DirectoryOutputStore(dir.resolve("out")));
        float[] sum = new float[click.length];
        for (OutputRef ref : result.stems().values()) {
            DecodedAudio stem = DecodedAudio.of(ref);
            assertThat(stem.frames()).isEqualTo(300);
            for (int i = 0; i < sum.length; i++) sum[i] += stem.samples()[i];
        }
        assertThat(SyntheticStems.sdr(click, sum)).isGreaterThan(100.0);
    }

    // ---- errors: each fails the analyzer with a message that says what is wrong

    @Test
    void withoutAModelsDirectoryTheMessageSaysWhereTheModelGoes() throws Exception {
        assertThat(failure(new ModelStore(null), "separate-4stem"))
                .contains("separation/separation.onnx").contains(ModelStore.DIR_ENV).contains("none ships with Tonearm");
    }

    @Test
    void aMissingModelFileIsNamed() throws Exception {
        Path models = Files.createDirectories(dir.resolve("empty"));
        assertThat(failure(new ModelStore(models), "separate-2stem"))
                .contains(models.resolve("separation").resolve("separation.onnx").toString()).contains("is missing");
    }

    @Test
    void aMissingSidecarIsNamed() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("models"));
        Files.delete(models.resolve("separation/separation.json"));
        assertThat(failure(new ModelStore(models), "separate-4stem"))
                .contains("separation.json is missing").contains("sample_rate");
    }

    @Test
    void aSidecarThatIsNotJsonOrHasUnknownOrMissingFieldsIsRefused() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("a"));
        Files.writeString(models.resolve("separation/separation.json"), "{\"sample_rate\": 44100,");
        assertThat(failure(new ModelStore(models), "separate-4stem")).contains("not valid JSON");

        Path typo = TinySeparationModel.install(dir.resolve("b"), "tiny-separation.onnx", s -> s.put("chunk_size", 8192));
        assertThat(failure(new ModelStore(typo), "separate-4stem")).contains("chunk_size");

        Path missing = TinySeparationModel.install(dir.resolve("c"), "tiny-separation.onnx", s -> s.remove("sample_rate"));
        assertThat(failure(new ModelStore(missing), "separate-4stem")).contains("sample_rate is missing");

        Path overlap = TinySeparationModel.install(dir.resolve("d"), "tiny-separation.onnx", s -> s.put("overlap", 0.5));
        assertThat(failure(new ModelStore(overlap), "separate-4stem")).contains("overlap 0.5");

        Path duplicate = TinySeparationModel.install(dir.resolve("e"), "tiny-separation.onnx",
                s -> s.putArray("stems").add("bass").add("bass").add("other"));
        assertThat(failure(new ModelStore(duplicate), "separate-4stem")).contains("duplicate");
    }

    @Test
    void aSidecarThatDisagreesWithTheModelsShapesIsRefused() throws Exception {
        Path channels = TinySeparationModel.install(dir.resolve("a"), "tiny-separation.onnx", s -> s.put("channels", 1));
        assertThat(failure(new ModelStore(channels), "separate-4stem"))
                .contains("input 'mix' has shape [1, 2, 8192]").contains("needs [1, 1, 8192]");

        Path chunk = TinySeparationModel.install(dir.resolve("b"), "tiny-separation.onnx", s -> s.put("chunk_samples", 4096));
        assertThat(failure(new ModelStore(chunk), "separate-4stem")).contains("[1, 2, 8192]").contains("[1, 2, 4096]");

        Path stems = TinySeparationModel.install(dir.resolve("c"), "tiny-separation.onnx",
                s -> s.putArray("stems").add("drums").add("bass").add("vocals").add("other"));
        assertThat(failure(new ModelStore(stems), "separate-4stem"))
                .contains("output 'stems' has shape [1, 3, 2, 8192]").contains("[1, 4, 2, 8192]");
    }

    @Test
    void aModelOfTheWrongShapeIsRefused() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("models"), "wrong-shape.onnx", s -> {
        });
        assertThat(failure(new ModelStore(models), "separate-4stem"))
                .contains("does not fit the contract").contains("[1, 8192]").contains("[1, channels, chunk_samples]");
    }

    @Test
    void openDimensionsTakeTheSidecarsChunkAndWhatTheModelReturnsIsChecked() throws Exception {
        // dynamic-one-stem.onnx returns its input as one stem, for any length
        Path fits = TinySeparationModel.install(dir.resolve("a"), "dynamic-one-stem.onnx",
                s -> s.put("chunk_samples", 3000).putArray("stems").add("vocals"));
        Sines sines = new Sines(22_050, 2, 1.0);
        Map<String, float[]> stems = decode(separate(SeparationAnalyzer.twoStems(new ModelStore(fits)), sines), sines);
        assertThat(sines.worstError(stems.get("vocals"), "mix")).isLessThan(1e-6);
        assertThat(sines.worstError(stems.get("instrumental"), "none")).isLessThan(1e-6);

        Path lies = TinySeparationModel.install(dir.resolve("b"), "dynamic-one-stem.onnx", s -> {
        }); // the sidecar promises three stems
        assertThat(failure(new ModelStore(lies), "separate-4stem"))
                .contains("returned shape [1, 1, 2, 8192] for an input of [1, 2, 8192]").contains("[1, 3, 2, 8192]");
    }

    @Test
    void aModelWithoutAnyOfTheSetsStemsIsRefused() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("models"), "tiny-separation.onnx",
                s -> s.putArray("stems").add("low").add("mid").add("rest"));
        assertThat(failure(new ModelStore(models), "separate-2stem"))
                .contains("[low, mid, rest] include none of [vocals]");
    }

    @Test
    void aFileThatIsNoModelIsRefused() throws Exception {
        Path models = TinySeparationModel.install(dir.resolve("models"));
        Files.writeString(models.resolve("separation/separation.onnx"), "not a network");
        assertThat(failure(new ModelStore(models), "separate-4stem")).contains("cannot load model");
    }

    // ---- helpers

    private SeparationResult separate(SeparationAnalyzer analyzer, Sines sines) throws Exception {
        return Analyze.runWithOutputs(analyzer, Map.of("method", "onnx"), sines.mix, sines.rate, sines.channels,
                new DirectoryOutputStore(Files.createDirectories(dir.resolve("out-" + System.nanoTime()))));
    }

    /** The analyzer's failure message through the real runner (nothing else in the run is lost). */
    private String failure(ModelStore store, String name) throws Exception {
        SeparationAnalyzer analyzer = name.equals("separate-2stem") ? SeparationAnalyzer.twoStems(store) : SeparationAnalyzer.fourStems(store);
        Sines sines = new Sines(44_100, 2, 0.5);
        AnalysisReport report = Analyze.report(List.of(new Selection(name, analyzer, Params.of(analyzer.spec(), Map.of("method", "onnx")))),
                sines.mix, sines.rate, sines.channels, new DirectoryOutputStore(Files.createDirectories(dir.resolve("failed"))));
        assertThat(report.results()).isEmpty();
        assertThat(report.failures()).containsKey(name);
        System.out.println(name + ": " + report.failures().get(name).message());
        return report.failures().get(name).message();
    }

    /** Decodes every stem, checks rate, channels and length, and that they sum back to the mix. */
    private static Map<String, float[]> decode(SeparationResult result, Sines sines) throws Exception {
        Map<String, float[]> stems = new LinkedHashMap<>();
        float[] sum = new float[sines.mix.length];
        for (Map.Entry<String, OutputRef> e : result.stems().entrySet()) {
            DecodedAudio stem = DecodedAudio.of(e.getValue());
            assertThat(stem.sampleRate()).isEqualTo(sines.rate);
            assertThat(stem.channels()).isEqualTo(sines.channels);
            assertThat(stem.samples()).hasSize(sines.mix.length);
            for (int i = 0; i < sum.length; i++) sum[i] += stem.samples()[i];
            stems.put(e.getKey(), stem.samples());
        }
        assertThat(SyntheticStems.sdr(sines.mix, sum)).as("stems sum back to the mix (dB of mix over residual)").isGreaterThan(100.0);
        return stems;
    }

    /** A sum of sines and what each of the tiny model's stems must make of it. */
    static final class Sines {
        private static final double[] UNITY = {1, 1, 1, 1, 1};
        final int rate;
        final int channels;
        final float[] mix;
        final double peak;
        private final JsonNode filters = TinySeparationModel.filters();

        Sines(int rate, int channels, double seconds) {
            this.rate = rate;
            this.channels = channels;
            int frames = (int) (rate * seconds);
            mix = new float[frames * channels];
            double max = 0;
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < channels; c++) {
                    double v = value(i, c, UNITY);
                    mix[i * channels + c] = (float) v;
                    max = Math.max(max, Math.abs(v));
                }
            }
            peak = max;
        }

        /** Largest |stem − expected| over the steady-state part, as a share of the mix's peak. */
        double worstError(float[] stem, String expected) {
            int edge = (int) (EDGE_SECONDS * rate);
            int frames = mix.length / channels;
            return worstError(stem, expected, edge, frames - edge);
        }

        /** As {@link #worstError(float[], String)} within 10 ms of each chunk edge (model-rate positions k·hop and k·hop + chunk). */
        double worstErrorNearEdges(float[] stem, String expected, int hop, int chunk) {
            int frames = mix.length / channels;
            int modelRate = filters.get("sample_rate").asInt();
            int span = rate / 100;
            double worst = 0;
            for (long start = hop; start * rate / modelRate < frames; start += hop) {
                for (long edgeAt : new long[]{start, start - hop + chunk}) {
                    int at = (int) (edgeAt * rate / modelRate);
                    if (at - span < EDGE_SECONDS * rate || at + span > frames - EDGE_SECONDS * rate) continue;
                    worst = Math.max(worst, worstError(stem, expected, at - span, at + span));
                }
            }
            return worst;
        }

        private double worstError(float[] stem, String expected, int from, int to) {
            double[] gains = new double[HZ.length];
            for (int k = 0; k < HZ.length; k++) gains[k] = gain(expected, HZ[k]);
            double worst = 0;
            for (int i = from; i < to; i++) {
                for (int c = 0; c < channels; c++) {
                    worst = Math.max(worst, Math.abs(stem[i * channels + c] - value(i, c, gains)));
                }
            }
            return worst / peak;
        }

        /** Sample i of channel c with sine k scaled by {@code gains[k]}; a mono file gets the mean of both channels' sines. */
        private double value(int i, int c, double[] gains) {
            double t = i / (double) rate;
            double v = 0;
            for (int k = 0; k < HZ.length; k++) {
                double a = channels == 1 ? (AMPLITUDE[0][k] + AMPLITUDE[1][k]) / 2 : AMPLITUDE[c % 2][k];
                v += gains[k] * a * Math.sin(2 * Math.PI * HZ[k] * t + k);
            }
            return v;
        }

        /** Zero-phase gain at {@code hz} of a stem: its symmetric FIR's, or 1 minus the others' for the residual stems. */
        double gain(String stem, double hz) {
            return switch (stem) {
                case "bass", "vocals" -> fir(filters.get(stem), hz);
                case "other" -> 1 - gain("bass", hz) - gain("vocals", hz);
                case "bass+other" -> 1 - gain("vocals", hz);
                case "mix" -> 1;
                case "none" -> 0;
                default -> throw new IllegalArgumentException(stem);
            };
        }

        private double fir(JsonNode taps, double hz) {
            int n = taps.size();
            double w = 2 * Math.PI * hz / filters.get("sample_rate").asInt();
            double sum = 0;
            for (int k = 0; k < n; k++) sum += taps.get(k).asDouble() * Math.cos(w * (k - (n - 1) / 2.0));
            return sum;
        }
    }
}
