package io.tonearm.analysis.tonal;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KeyNetAnalyzerTest {

    private static Path modelsDir() {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path dir = Path.of(shared, "models");
        assumeTrue(Files.isRegularFile(dir.resolve(KeyNetAnalyzer.MODEL_FILE)), "no KeyNet model under " + dir);
        return dir;
    }

    @Test
    void outputIndicesFollowTheCamelotOrderOfTheModelCard() {
        // models/README.md: 0-11 = 1A..12A (G#m D#m Bbm Fm Cm Gm Dm Am Em Bm F#m C#m), 12-23 = 1B..12B (B F# C# Ab Eb Bb F C G D A E)
        List<String> minor = List.of("G#", "D#", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#");
        List<String> major = List.of("B", "F#", "C#", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E");
        for (int i = 0; i < 12; i++) {
            assertThat(KeyNetAnalyzer.candidate(i, 0)).isEqualTo(new KeyEstimator.Candidate(PitchClass.parse(minor.get(i)), true, 0));
            assertThat(KeyNetAnalyzer.candidate(12 + i, 0)).isEqualTo(new KeyEstimator.Candidate(PitchClass.parse(major.get(i)), false, 0));
        }
    }

    @Test
    void failsClearlyWithoutAModelFolder() {
        KeyNetAnalyzer analyzer = new KeyNetAnalyzer(Path.of("/nonexistent-models"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Analyze.run(analyzer, new float[ProgressionSynth.RATE], ProgressionSynth.RATE, 1))
                .hasMessageContaining("no model at");
    }

    @Test
    void classifiesRenderedCadences() {
        KeyNetAnalyzer analyzer = new KeyNetAnalyzer(modelsDir());
        var t = KeyAnalyzerTest.tally(analyzer, Map.of(), 440);
        System.out.println("key-keynet, 24 rendered cadences: " + t);
        assertThat(t.total()).isEqualTo(24);
        assertThat(t.exact() + t.relative() + t.fifth() + t.parallel()).isGreaterThanOrEqualTo(20);
    }
}
