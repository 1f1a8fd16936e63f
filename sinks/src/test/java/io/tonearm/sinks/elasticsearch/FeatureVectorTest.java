package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FeatureVectorTest {

    private static float[] key(String tonic, String mode) {
        return FeatureVector.of(tonic, mode, null, null, null, null);
    }

    private static float[] tempo(double bpm) {
        return FeatureVector.of(null, null, bpm, null, null, null);
    }

    @Test
    void hasTheDocumentedSizeAndUnitLength() {
        float[] v = FeatureVector.of("A", "minor", 128.0, -9.0, 6.0, ChordHistogramTest.histogram("A:min", "F:maj"));
        assertThat(v).hasSize(FeatureVector.DIMENSIONS);
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void nothingKnownGivesNoVector() {
        assertThat(FeatureVector.of(null, null, null, null, null, null)).isNull();
        assertThat(FeatureVector.of("H", "major", -1.0, Double.NaN, null, new float[24])).isNull();
    }

    @Test
    void keysFollowTheCircleOfFifths() {
        double sameKey = FeatureVector.cosine(key("C", "major"), key("C", "major"));
        double relative = FeatureVector.cosine(key("C", "major"), key("A", "minor"));
        double fifth = FeatureVector.cosine(key("C", "major"), key("G", "major"));
        double tritone = FeatureVector.cosine(key("C", "major"), key("F#", "major"));
        double enharmonic = FeatureVector.cosine(key("F#", "major"), key("Gb", "major"));
        assertThat(sameKey).isCloseTo(1.0, within(1e-6));
        assertThat(enharmonic).isCloseTo(1.0, within(1e-6));
        assertThat(relative).isGreaterThan(fifth);
        assertThat(fifth).isGreaterThan(0.8);
        assertThat(tritone).isLessThan(-0.5);
    }

    @Test
    void tempoOctavesFoldTogether() {
        double doubled = FeatureVector.cosine(tempo(120), tempo(60));
        double near = FeatureVector.cosine(tempo(120), tempo(124));
        double far = FeatureVector.cosine(tempo(120), tempo(85)); // half an octave away: opposite on the circle
        assertThat(doubled).isGreaterThan(0.7);
        assertThat(near).isGreaterThan(0.95);
        assertThat(far).isLessThan(0);
        assertThat(doubled).isLessThan(near); // slow and fast still differ a little
    }

    @Test
    void similarTracksAreNearerThanDifferentOnes() {
        float[] a = FeatureVector.of("A", "minor", 124.0, -8.0, 5.0, ChordHistogramTest.histogram("A:min", "F:maj", "C:maj", "G:maj"));
        float[] b = FeatureVector.of("A", "minor", 126.0, -9.0, 6.0, ChordHistogramTest.histogram("A:min", "F:maj", "C:maj", "E:maj"));
        float[] c = FeatureVector.of("Eb", "major", 87.0, -20.0, 15.0, ChordHistogramTest.histogram("Eb:maj", "Bb:maj", "Db:maj"));
        assertThat(FeatureVector.cosine(a, b)).isGreaterThan(0.9);
        assertThat(FeatureVector.cosine(a, c)).isLessThan(0.2);
    }
}
