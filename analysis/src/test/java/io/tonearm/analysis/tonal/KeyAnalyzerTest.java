package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class KeyAnalyzerTest {

    private final KeyAnalyzer analyzer = new KeyAnalyzer();

    /** Tally of estimates against truth over rendered cadences. */
    record Tally(int exact, int relative, int fifth, int parallel, int other) {
        int total() {
            return exact + relative + fifth + parallel + other;
        }
    }

    static Tally tally(io.tonearm.analysis.Analyzer<KeyResult> analyzer, Map<String, ?> params, double a4) {
        int exact = 0, relative = 0, fifth = 0, parallel = 0, other = 0;
        double minConfidence = 1, maxConfidence = 0;
        for (int mode = 0; mode < 2; mode++) {
            for (int tonic = 0; tonic < 12; tonic++) {
                boolean minor = mode == 1;
                List<ProgressionSynth.Chord> chords = minor ? ProgressionSynth.minorCadences(tonic) : ProgressionSynth.majorCadences(tonic);
                KeyResult r = Analyze.run(analyzer, params, ProgressionSynth.render(chords, a4), ProgressionSynth.RATE, 1);
                var truth = new KeyEstimator.Candidate(tonic, minor, 0);
                var found = new KeyEstimator.Candidate(PitchClass.parse(r.key()), r.mode().equals("minor"), 0);
                String relation = found.equals(truth) ? "exact" : KeyEstimator.relation(truth, found);
                minConfidence = Math.min(minConfidence, r.confidence());
                maxConfidence = Math.max(maxConfidence, r.confidence());
                switch (relation) {
                    case "exact" -> exact++;
                    case "relative" -> relative++;
                    case "dominant", "subdominant" -> fifth++;
                    case "parallel" -> parallel++;
                    default -> other++;
                }
                if (!relation.equals("exact")) {
                    System.out.printf("key %s %s -> %s %s (%s, confidence %.2f)%n", PitchClass.name(tonic),
                            minor ? "minor" : "major", r.key(), r.mode(), relation, r.confidence());
                }
            }
        }
        System.out.printf("confidence over the 24 keys: %.2f..%.2f%n", minConfidence, maxConfidence);
        return new Tally(exact, relative, fifth, parallel, other);
    }

    @Test
    void findsTheKeyOfCadencesInAll24Keys() {
        Tally t = tally(analyzer, Map.of(), 440);
        System.out.println("key, 24 rendered cadences: " + t);
        assertThat(t.total()).isEqualTo(24);
        assertThat(t.exact()).isGreaterThanOrEqualTo(22);
    }

    @Test
    void estimatesA432TuningAndStillFindsTheKey() {
        for (int tonic : new int[]{0, 9}) {
            boolean minor = tonic == 9;
            var chords = minor ? ProgressionSynth.minorCadences(tonic) : ProgressionSynth.majorCadences(tonic);
            KeyResult r = Analyze.run(analyzer, ProgressionSynth.render(chords, 432), ProgressionSynth.RATE, 1);
            System.out.println("A4=432 rendering: " + r);
            assertThat(r.tuningFrequency()).isCloseTo(432, org.assertj.core.data.Offset.offset(2.0));
            assertThat(r.key()).isEqualTo(PitchClass.name(tonic));
            assertThat(r.mode()).isEqualTo(minor ? "minor" : "major");
        }
    }

    @Test
    void findsTheKeyUnderWhiteNoiseAtZeroDbSnr() {
        for (int tonic : new int[]{2, 11}) {
            boolean minor = tonic == 11;
            float[] audio = ProgressionSynth.render(minor ? ProgressionSynth.minorCadences(tonic) : ProgressionSynth.majorCadences(tonic), 440);
            double rms = 0;
            for (float x : audio) rms += x * x;
            rms = Math.sqrt(rms / audio.length);
            Random random = new Random(tonic);
            for (int i = 0; i < audio.length; i++) audio[i] += (float) (rms * random.nextGaussian());
            KeyResult r = Analyze.run(analyzer, audio, ProgressionSynth.RATE, 1);
            System.out.println("0 dB SNR: " + r.key() + " " + r.mode() + " confidence " + r.confidence());
            assertThat(r.key()).isEqualTo(PitchClass.name(tonic));
            assertThat(r.mode()).isEqualTo(minor ? "minor" : "major");
        }
    }

    @Test
    void reportsEverythingTheContractNames() throws Exception {
        KeyResult r = Analyze.run(analyzer, ProgressionSynth.render(ProgressionSynth.majorCadences(7), 440), ProgressionSynth.RATE, 1);
        assertThat(r.key()).isEqualTo("G");
        assertThat(r.mode()).isEqualTo("major");
        assertThat(r.keyCamelot()).isEqualTo("9B");
        assertThat(r.tuningFrequency()).isCloseTo(440, org.assertj.core.data.Offset.offset(2.0));
        assertThat(r.confidence()).isBetween(0.5, 1.0);
        assertThat(r.alternatives()).hasSize(4);
        assertThat(r.alternatives()).extracting(KeyResult.Alternative::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(r.alternatives().get(0).score()).isLessThanOrEqualTo(r.score());
        // E minor is G major's relative: it must be among the alternatives and named so
        assertThat(r.alternatives()).anySatisfy(a -> {
            assertThat(a.key()).isEqualTo("E");
            assertThat(a.mode()).isEqualTo("minor");
            assertThat(a.relation()).isEqualTo("relative");
        });
        String json = Json.mapper().writeValueAsString(r);
        assertThat(json).contains("\"key\":\"G\"", "\"mode\":\"major\"", "\"key_camelot\":\"9B\"", "\"tuning_frequency\":",
                "\"confidence\":", "\"alternatives\":[{", "\"relation\":");
    }

    @Test
    void profilesAreSelectableAndUnknownOnesRejected() {
        KeyResult r = Analyze.run(analyzer, Map.of("profile", "edma"),
                ProgressionSynth.render(ProgressionSynth.minorCadences(2), 440), ProgressionSynth.RATE, 1);
        assertThat(r.profile()).isEqualTo("edma");
        assertThat(r.key() + " " + r.mode()).isEqualTo("D minor");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.tonearm.analysis.Params.of(analyzer.spec(), Map.of("profile", "bgate")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile");
    }

    @Test
    void registeredUnderTheirContractNames() {
        var registry = io.tonearm.analysis.StandardAnalyzers.registry();
        assertThat(registry.parse("key:1,chords:1,key-keynet")).extracting(s -> (Object) s.analyzer().getClass())
                .containsExactly(KeyAnalyzer.class, ChordAnalyzer.class, KeyNetAnalyzer.class);
    }

    @Test
    void silenceHasNoKeyAndNoiseHasLowConfidence() {
        KeyResult silent = Analyze.run(analyzer, new float[ProgressionSynth.RATE * 5], ProgressionSynth.RATE, 1);
        assertThat(silent.key()).isNull();
        assertThat(silent.confidence()).isZero();
        assertThat(silent.tuningFrequency()).isEqualTo(440.0);

        Random random = new Random(3);
        float[] noise = new float[ProgressionSynth.RATE * 10];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (0.2 * random.nextGaussian());
        KeyResult r = Analyze.run(analyzer, noise, ProgressionSynth.RATE, 1);
        System.out.println("white noise: " + r);
        assertThat(r.confidence()).isLessThan(0.2);
    }
}
