package io.tonearm.analysis.waveform;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WaveformAnalyzerTest {

    private static final WaveformAnalyzer ANALYZER = new WaveformAnalyzer();

    /** Ten one-second steps; in step k the samples alternate between +a_k and -a_k, a_k = (k + 1) / 20. */
    private static float[] steps(int rate, int channels) {
        float[] pcm = new float[rate * 10 * channels];
        for (int i = 0; i < rate * 10; i++) {
            float a = (i / rate + 1) / 20f;
            for (int c = 0; c < channels; c++) pcm[i * channels + c] = i % 2 == 0 ? a : -a;
        }
        return pcm;
    }

    @Test
    void pointsInsideOneStepReadThatStepsEnvelopeExactly() {
        int rate = 44_100;
        for (int points : new int[] {10, 100, 1000, 7919}) {
            WaveformResult r = Analyze.run(ANALYZER, Map.of("points", points), steps(rate, 2), rate, 2);
            assertThat(r.points()).isEqualTo(points);
            assertThat(r.min()).hasSize(points);
            assertThat(r.max()).hasSize(points);
            assertThat(r.duration()).isCloseTo(10.0, within(1e-9));
            int exact = 0;
            for (int p = 0; p < points; p++) {
                double start = p * 10.0 / points;
                double end = (p + 1) * 10.0 / points;
                double margin = 0.25 * (end - start); // the most a point can be widened to whole buckets
                int firstStep = (int) Math.floor(start);
                int lastStep = (int) Math.min(9, Math.floor(end - 1e-9));
                // never under-reports: the envelope covers every sample of the point's own span
                assertThat(r.max()[p]).isGreaterThanOrEqualTo((lastStep + 1) / 20.0 - 1e-4);
                assertThat(r.min()[p]).isLessThanOrEqualTo(-(lastStep + 1) / 20.0 + 1e-4);
                // and reaches at most into the next step
                assertThat(r.max()[p]).isLessThanOrEqualTo(Math.min(10, lastStep + 2) / 20.0 + 1e-4);
                boolean inside = Math.floor(start - margin) == Math.floor(end + margin - 1e-9) && firstStep == lastStep;
                if (inside) {
                    assertThat(r.max()[p]).as("point %d of %d", p, points).isCloseTo((firstStep + 1) / 20.0, within(1e-4));
                    assertThat(r.min()[p]).as("point %d of %d", p, points).isCloseTo(-(firstStep + 1) / 20.0, within(1e-4));
                    exact++;
                }
            }
            if (points >= 100) assertThat(exact).isGreaterThan(points / 2);
        }
    }

    @Test
    void aSingleClickLandsOnItsPoint() {
        int rate = 8_000;
        int frames = rate * 600; // ten minutes: the envelope merges many times
        float[] pcm = new float[frames];
        int click = 3_456_789;
        pcm[click] = 0.9f;
        int points = 1000;
        WaveformResult r = Analyze.run(ANALYZER, Map.of("points", points), pcm, rate, 1);
        int expected = (int) ((long) click * points / frames);
        assertThat(r.max()[expected]).isEqualTo(0.9, within(1e-4));
        int lit = 0;
        for (double v : r.max()) if (v > 0) lit++;
        assertThat(lit).isLessThanOrEqualTo(2); // at most the neighbour the bucket straddles
    }

    @Test
    void anyLengthGivesTheRequestedPoints() {
        for (int frames : new int[] {1, 5, 999, 12_345, 44_100 * 3}) {
            float[] pcm = new float[frames * 2];
            for (int i = 0; i < pcm.length; i++) pcm[i] = (float) Math.sin(i * 0.01);
            for (int points : new int[] {10, 1000, 100_000}) {
                WaveformResult r = Analyze.run(ANALYZER, Map.of("points", points), pcm, 44_100, 2);
                assertThat(r.points()).isEqualTo(points);
                assertThat(r.min()).hasSize(points);
                assertThat(r.max()).hasSize(points);
                int inverted = 0;
                for (int p = 0; p < points; p++) if (r.min()[p] > r.max()[p]) inverted++;
                assertThat(inverted).isZero();
                assertThat(r.duration()).isCloseTo(frames / 44_100.0, within(1e-9));
            }
        }
    }

    @Test
    void emptySignalHasNoPoints() {
        WaveformResult r = Analyze.run(ANALYZER, new float[0], 44_100, 2);
        assertThat(r.points()).isZero();
        assertThat(r.min()).isEmpty();
        assertThat(r.duration()).isZero();
    }

    @Test
    void perChannelKeepsChannelsApartAndMixedIsTheirMean() {
        int rate = 22_050;
        float[] pcm = new float[rate * 2 * 2];
        for (int i = 0; i < rate * 2; i++) {
            pcm[2 * i] = 0.8f;      // left: constant
            pcm[2 * i + 1] = -0.4f; // right: constant, opposite sign
        }
        WaveformResult r = Analyze.run(ANALYZER, Map.of("points", 10, "channels", "per_channel"), pcm, rate, 2);
        assertThat(r.channelMax()).hasSize(2);
        assertThat(r.channelMax().get(0)).containsOnly(0.8);
        assertThat(r.channelMin().get(1)).containsOnly(-0.4);
        assertThat(r.max()).containsOnly(0.2);
        WaveformResult mixedOnly = Analyze.run(ANALYZER, Map.of("points", 10), pcm, rate, 2);
        assertThat(mixedOnly.channelMax()).isNull();
    }

    @Test
    void valuesAreRoundedToFourDecimalsInJson() throws Exception {
        float[] pcm = new float[1000];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (float) (0.123456789 * Math.sin(i * 0.1));
        String json = Json.mapper().writeValueAsString(Analyze.run(ANALYZER, Map.of("points", 10), pcm, 8_000, 1));
        assertThat(json).contains("\"points\":10", "\"duration\":0.125", "\"min\":[", "\"max\":[");
        assertThat(json).doesNotContainPattern("\\d\\.\\d{5,}");
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> Params.of(ANALYZER.spec(), Map.of("points", 5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Params.of(ANALYZER.spec(), Map.of("points", 200_000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Params.of(ANALYZER.spec(), Map.of("channels", "left"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Params.defaults(ANALYZER.spec()).integer("points")).isEqualTo(1000);
        assertThat(StandardAnalyzers.registry().select("waveform", Map.of()).analyzer()).isInstanceOf(WaveformAnalyzer.class);
    }
}
