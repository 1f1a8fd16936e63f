package io.tonearm.analysis.pitch;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.Json;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tonearm.analysis.pitch.Signals.RATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PitchAnalyzerTest {

    private final PitchAnalyzer pitch = new PitchAnalyzer(new ModelStore(null));

    @ParameterizedTest
    @ValueSource(doubles = {82.41, 110, 196, 261.63, 440, 880, 1046.5})
    void harmonicToneMedianWithinTenCentsAndFullyVoiced(double hz) {
        PitchResult r = Analyze.run(pitch, Signals.tone(hz, 1.5), RATE, 1);

        assertThat(NoteNames.cents(r.medianHz(), hz)).as("median error in cents").isCloseTo(0, within(10.0));
        assertThat(r.voicedFraction()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.rangeSemitones()).isLessThan(0.5);
        assertThat(r.contour()).hasSize(75);   // 1.5 s at 20 ms: centres 0 … 1.48 s
    }

    @Test
    void reportsMedianNoteAndMidi() {
        PitchResult r = Analyze.run(pitch, Signals.tone(440, 1.0), RATE, 1);

        assertThat(r.medianNote()).isEqualTo("A4");
        assertThat(r.medianMidi()).isCloseTo(69.0, within(0.1));
        assertThat(r.method()).isEqualTo("yin");
    }

    @Test
    void melodyNotesWithinTwentyFiveCentsAndBoundariesWithinSixtyMs() {
        PitchResult r = Analyze.run(pitch, Signals.notes(Scale.C_MAJOR, Scale.NOTE_SECONDS), RATE, 1);

        for (int k = 0; k < Scale.C_MAJOR.length; k++) {
            assertThat(NoteNames.cents(Scale.noteMedian(r.contour(), k), Scale.C_MAJOR[k])).as("note %d", k)
                    .isCloseTo(0, within(25.0));
            if (k > 0) assertThat(Scale.boundary(r.contour(), k)).as("start of note %d", k)
                    .isCloseTo(k * Scale.NOTE_SECONDS, within(0.06));
        }
        assertThat(r.medianNote()).isIn("F4", "G4");
    }

    @Test
    void finerHopKeepsTheGridInSeconds() {
        PitchResult r = Analyze.run(pitch, Map.of("hop_ms", 10), Signals.notes(Scale.C_MAJOR, Scale.NOTE_SECONDS), RATE, 1);

        assertThat(r.contour()).hasSize(400);
        assertThat(r.contour().get(399).t()).isEqualTo(3.99);
        for (int k = 1; k < Scale.C_MAJOR.length; k++) {
            assertThat(Scale.boundary(r.contour(), k)).isCloseTo(k * Scale.NOTE_SECONDS, within(0.06));
        }
    }

    @Test
    void silenceIsUnvoiced() {
        PitchResult r = Analyze.run(pitch, new float[RATE * 2], RATE, 1);

        assertThat(r.voicedFraction()).isZero();
        assertThat(r.medianHz()).isNull();
        assertThat(r.medianNote()).isNull();
        assertThat(r.contour()).allSatisfy(p -> assertThat(p.voiced()).isFalse());
    }

    @Test
    void whiteNoiseIsMostlyUnvoiced() {
        PitchResult r = Analyze.run(pitch, Signals.noise(RATE * 3, 0.1, 7), RATE, 1);

        assertThat(r.voicedFraction()).isLessThan(0.05);
    }

    @Test
    void glideIsTrackedMonotonically() {
        double seconds = 3;
        PitchResult r = Analyze.run(pitch, Signals.glide(110, 880, seconds), RATE, 1);

        double previous = 0;
        int voiced = 0;
        for (ContourPoint p : r.contour()) {
            if (!p.voiced()) continue;
            voiced++;
            assertThat(p.f0Hz()).as("at %.2f s", p.t()).isGreaterThan(previous);
            double truth = Signals.glideHz(110, 880, seconds, p.t());
            if (p.t() > 0.05 && p.t() < seconds - 0.05) {
                assertThat(NoteNames.cents(p.f0Hz(), truth)).as("at %.2f s", p.t()).isCloseTo(0, within(30.0));
            }
            previous = p.f0Hz();
        }
        assertThat(voiced).isGreaterThan((int) (0.95 * r.contour().size()));
    }

    @Test
    void rangeLimitsWhatIsReported() {
        PitchResult r = Analyze.run(pitch, Map.of("min_hz", 200, "max_hz", 400), Signals.notes(new double[]{110, 300, 880}, 0.5), RATE, 1);

        assertThat(r.minHz()).isGreaterThanOrEqualTo(200);
        assertThat(r.maxHz()).isLessThanOrEqualTo(400);
        assertThat(r.voicedFraction()).isBetween(0.2, 0.45);
    }

    @Test
    void serializesCompactSnakeCaseJson() throws Exception {
        float[] half = Signals.tone(220, 0.5);
        float[] signal = new float[half.length * 2];
        System.arraycopy(half, 0, signal, 0, half.length);
        PitchResult r = Analyze.run(pitch, signal, RATE, 1);

        JsonNode json = Json.mapper().valueToTree(r);
        assertThat(json.fieldNames()).toIterable().contains("method", "hop_seconds", "contour", "median_hz", "mean_hz",
                "min_hz", "max_hz", "range_semitones", "voiced_fraction", "median_midi", "median_note");
        JsonNode first = json.get("contour").get(10);
        assertThat(first.isArray()).isTrue();
        assertThat(first.size()).isEqualTo(3);
        assertThat(first.get(0).asDouble()).isEqualTo(0.2);
        assertThat(first.get(1).asDouble()).isCloseTo(220, within(1.0));
        JsonNode last = json.get("contour").get(json.get("contour").size() - 1);
        assertThat(last.get(1).isNull()).isTrue();
        assertThat(Json.mapper().writeValueAsString(r).length()).as("bytes per point").isLessThan(25 * r.contour().size());
    }

    @Test
    void rejectsAnEmptyRange() {
        AnalysisReport report = Analyze.report(List.of(new Selection("pitch", pitch,
                Params.of(pitch.spec(), Map.of("min_hz", 500, "max_hz", 400)))), Signals.tone(440, 0.5), RATE, 1);

        assertThat(report.failures().toString()).contains("min_hz");
    }

    @Test
    void crepeWithoutAModelsDirectoryFailsSayingWhatToConfigure() {
        AnalysisReport report = Analyze.report(List.of(new Selection("pitch", pitch,
                Params.of(pitch.spec(), Map.of("method", "crepe")))), Signals.tone(440, 0.5), RATE, 1);

        assertThat(report.failures().toString()).contains("crepe-tiny/crepe-tiny.onnx", ModelStore.DIR_PROPERTY, ModelStore.DIR_ENV);
    }

    @Test
    void crepeWithTheModelFileMissingNamesThePath(@TempDir Path dir) {
        PitchAnalyzer analyzer = new PitchAnalyzer(new ModelStore(dir));
        AnalysisReport report = Analyze.report(List.of(new Selection("pitch", analyzer,
                Params.of(analyzer.spec(), Map.of("method", "crepe")))), Signals.tone(440, 0.5), RATE, 1);

        assertThat(report.failures().toString()).contains(dir.resolve("crepe-tiny").resolve("crepe-tiny.onnx").toString(), "missing");
    }
}
