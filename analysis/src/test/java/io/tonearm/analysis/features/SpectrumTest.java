package io.tonearm.analysis.features;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Feature;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The streaming STFT: a sine's peak bin and level, one frame per hop, shared by everyone who asks. */
class SpectrumTest {

    static final Feature<Spectrum> SMALL = Spectrum.config(1024, 256);

    /** What a subscriber saw: frame count, whether indices ran 0,1,2..., the middle frame's peak and its level. */
    record Seen(long frames, boolean consecutive, int peakBin, float peakMagnitude, int identity, double binHz) {
    }

    static final class Probe implements Analyzer<Seen> {
        private final String name;
        private final Feature<Spectrum> feature;

        Probe(String name, Feature<Spectrum> feature) {
            this.name = name;
            this.feature = feature;
        }

        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of(name, 1, "records what the spectrum delivers");
        }

        @Override
        public Run<Seen> start(Params params, RecordingContext recording) {
            Spectrum spectrum = recording.feature(feature);
            long[] count = {0};
            boolean[] consecutive = {true};
            int[] peak = {0};
            float[] level = {0};
            spectrum.subscribe((magnitude, index) -> {
                consecutive[0] &= index == count[0];
                count[0]++;
                if (index == 40) {
                    for (int k = 1; k < magnitude.length; k++) if (magnitude[k] > magnitude[peak[0]]) peak[0] = k;
                    level[0] = magnitude[peak[0]];
                }
            });
            return () -> new Seen(count[0], consecutive[0], peak[0], level[0], System.identityHashCode(spectrum), spectrum.binHz(1));
        }
    }

    static float[] sine(double hz, double amplitude, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / RecordingContext.ANALYSIS_RATE));
        return x;
    }

    @Test
    void aSineOnABinPeaksThereAtHannLevel() {
        double hz = 93 * RecordingContext.ANALYSIS_RATE / 2048.0; // exactly bin 93 (≈1001 Hz)
        Seen seen = Analyze.run(new Probe("probe", Spectrum.STANDARD), sine(hz, 0.5, 22050 * 2), RecordingContext.ANALYSIS_RATE, 1);
        assertThat(seen.peakBin()).isEqualTo(93);
        assertThat((double) seen.peakMagnitude()).isCloseTo(0.5 * 2048 / 4, within(1.0)); // A·N/4 for a Hann window
        assertThat(seen.binHz()).isCloseTo(22050.0 / 2048, within(1e-9));
    }

    @Test
    void oneFramePerHopCentredFromSampleZero() {
        for (int n : new int[]{22050, 22050 * 3 + 100, 512 * 50, 512 * 50 + 1, 700}) {
            Seen seen = Analyze.run(new Probe("probe", Spectrum.STANDARD), sine(440, 0.5, n), RecordingContext.ANALYSIS_RATE, 1);
            assertThat(seen.frames()).as("%d samples", n).isEqualTo((n + 511) / 512);
            assertThat(seen.consecutive()).isTrue();
            Seen small = Analyze.run(new Probe("probe", SMALL), sine(440, 0.5, n), RecordingContext.ANALYSIS_RATE, 1);
            assertThat(small.frames()).as("%d samples, hop 256", n).isEqualTo((n + 255) / 256);
        }
    }

    @Test
    void framesFollowTheAnalysisSignalOfAnotherRate() {
        int n = 44100 * 3 + 333;
        float[] stereo = new float[n * 2];
        float[] mono = sine(2000 * RecordingContext.ANALYSIS_RATE / 44100.0, 0.5, n); // 2 kHz at 44.1 kHz
        for (int i = 0; i < n; i++) stereo[2 * i] = stereo[2 * i + 1] = mono[i];
        Seen seen = Analyze.run(new Probe("probe", Spectrum.STANDARD), stereo, 44100, 2);
        long analysisSamples = (n * 22050L + 44099) / 44100;
        assertThat(seen.frames()).isEqualTo((analysisSamples + 511) / 512);
        assertThat(seen.peakBin()).isEqualTo((int) Math.round(2000 / (22050.0 / 2048)));
    }

    @Test
    void analyzersAskingForOneConfigurationShareOneSpectrum() {
        Probe a = new Probe("a", Spectrum.STANDARD);
        Probe b = new Probe("b", Spectrum.STANDARD);
        Probe c = new Probe("c", SMALL);
        AnalysisReport report = Analyze.report(List.of(
                        new Selection("a", a, Params.defaults(a.spec())),
                        new Selection("b", b, Params.defaults(b.spec())),
                        new Selection("c", c, Params.defaults(c.spec()))),
                sine(440, 0.5, 22050), RecordingContext.ANALYSIS_RATE, 1);
        Seen sa = (Seen) report.results().get("a").results();
        Seen sb = (Seen) report.results().get("b").results();
        Seen sc = (Seen) report.results().get("c").results();
        assertThat(sa.identity()).isEqualTo(sb.identity()).isNotEqualTo(sc.identity());
        assertThat(sa).isEqualTo(sb);
    }
}
