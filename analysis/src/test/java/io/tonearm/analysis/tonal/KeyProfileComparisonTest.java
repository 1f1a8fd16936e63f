package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Measures every key profile on the same 24 rendered cadences; the default must be among the best. */
class KeyProfileComparisonTest {

    /** Exposes the whole-track pitch-class profile the key analyzer correlates. */
    private static final class TrackProfile implements Analyzer<double[]> {
        @Override
        public AnalyzerSpec spec() {
            return AnalyzerSpec.of("track-profile", 1, "test probe");
        }

        @Override
        public Run<double[]> start(Params params, RecordingContext recording) {
            Chroma chroma = recording.feature(Chroma.FEATURE);
            return () -> KeyAnalyzer.trackProfile(chroma);
        }
    }

    @Test
    void defaultProfileIsAmongTheBestOnRenderedCadences() {
        Map<KeyProfile, Integer> exact = new EnumMap<>(KeyProfile.class);
        Map<KeyProfile, Double> margin = new EnumMap<>(KeyProfile.class);
        for (int mode = 0; mode < 2; mode++) {
            for (int t = 0; t < 12; t++) {
                final int tonic = t;
                final boolean minor = mode == 1;
                var chords = minor ? ProgressionSynth.minorCadences(tonic) : ProgressionSynth.majorCadences(tonic);
                double[] profile = Analyze.run(new TrackProfile(), ProgressionSynth.render(chords, 440), ProgressionSynth.RATE, 1);
                for (KeyProfile p : KeyProfile.values()) {
                    var ranked = KeyEstimator.rank(profile, p);
                    var best = ranked.get(0);
                    double truthScore = ranked.stream().filter(c -> c.tonic() == tonic && c.minor() == minor).findFirst().orElseThrow().score();
                    double rival = ranked.stream().filter(c -> !(c.tonic() == tonic && c.minor() == minor)).findFirst().orElseThrow().score();
                    margin.merge(p, (truthScore - rival) / 24, Double::sum);
                    if (best.tonic() == tonic && best.minor() == minor) exact.merge(p, 1, Integer::sum);
                    else exact.merge(p, 0, Integer::sum);
                }
            }
        }
        System.out.println("exact keys of 24 per profile: " + exact + "; mean margin of the true key over the best other: " + margin);
        int best = exact.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        String defaultId = (String) Params.defaults(new KeyAnalyzer().spec()).asMap().get("profile");
        assertThat(exact.get(KeyProfile.byId(defaultId))).isEqualTo(best);
    }
}
