package io.tonearm.analysis.pitch;

import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.tonearm.analysis.pitch.Signals.RATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The crepe method against the real CREPE tiny model from ../shared/models; skipped when it is absent. */
class CrepePitchTest {

    private static final Map<String, Object> CREPE = Map.of("method", "crepe");
    private static PitchAnalyzer pitch;

    @BeforeAll
    static void model() {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null, "tonearm.shared.dir is not set");
        Path models = Path.of(shared, "models");
        assumeTrue(Files.isRegularFile(models.resolve(Model.CREPE_TINY.relativePath())), "no " + Model.CREPE_TINY.relativePath() + " under " + models);
        pitch = new PitchAnalyzer(new ModelStore(models));
    }

    @ParameterizedTest
    @ValueSource(doubles = {82.41, 110, 196, 261.63, 440, 880, 1046.5})
    void harmonicToneMedianWithinTenCents(double hz) {
        PitchResult r = Analyze.run(pitch, CREPE, Signals.tone(hz, 1.0), RATE, 1);

        assertThat(NoteNames.cents(r.medianHz(), hz)).as("median error in cents").isCloseTo(0, within(10.0));
        assertThat(r.voicedFraction()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.method()).isEqualTo("crepe");
        assertThat(r.contour()).hasSize(50);
    }

    @Test
    void melodyNotesAndBoundariesOnTheSameGridAsYin() {
        PitchResult r = Analyze.run(pitch, CREPE, Signals.notes(Scale.C_MAJOR, Scale.NOTE_SECONDS), RATE, 1);

        assertThat(r.contour()).hasSize(200);
        for (int k = 0; k < Scale.C_MAJOR.length; k++) {
            assertThat(NoteNames.cents(Scale.noteMedian(r.contour(), k), Scale.C_MAJOR[k])).as("note %d", k)
                    .isCloseTo(0, within(25.0));
            if (k > 0) assertThat(Scale.boundary(r.contour(), k)).as("start of note %d", k)
                    .isCloseTo(k * Scale.NOTE_SECONDS, within(0.06));
        }
    }

    @Test
    void silenceIsUnvoiced() {
        PitchResult r = Analyze.run(pitch, CREPE, new float[RATE], RATE, 1);

        assertThat(r.voicedFraction()).isZero();
    }

    @Test
    void whiteNoiseIsMostlyUnvoiced() {
        PitchResult r = Analyze.run(pitch, CREPE, Signals.noise(RATE * 2, 0.1, 7), RATE, 1);

        assertThat(r.voicedFraction()).isLessThan(0.1);
    }

    /** The comparison the methods exist for: a melody in white noise at 10 dB SNR, raw pitch accuracy at 50 cents. */
    @Test
    void noisyMelodyRawPitchAccuracyOfBothMethods() {
        float[] noisy = Signals.withNoise(Signals.notes(Scale.C_MAJOR, Scale.NOTE_SECONDS), 10, 11);
        PitchResult crepe = Analyze.run(pitch, CREPE, noisy, RATE, 1);
        PitchResult yin = Analyze.run(pitch, Map.of(), noisy, RATE, 1);

        double crepeRpa = Scale.rawPitchAccuracy(crepe.contour());
        double yinRpa = Scale.rawPitchAccuracy(yin.contour());
        System.out.printf("noisy C major scale, 10 dB SNR: raw pitch accuracy (50 cents, unvoiced = miss) crepe %.3f, yin %.3f%n",
                crepeRpa, yinRpa);
        assertThat(crepeRpa).as("crepe").isGreaterThanOrEqualTo(0.9);
        assertThat(yinRpa).as("yin").isGreaterThanOrEqualTo(0.5);
    }
}
