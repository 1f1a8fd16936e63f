package io.tonearm.analysis.tonal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PitchClassTest {

    @Test
    void spellsWithTheDocumentedConvention() {
        StringBuilder sb = new StringBuilder();
        for (int pc = 0; pc < 12; pc++) sb.append(PitchClass.name(pc)).append(' ');
        assertThat(sb.toString().trim()).isEqualTo("C C# D Eb E F F# G Ab A Bb B");
    }

    @Test
    void parsesSharpsAndFlats() {
        assertThat(PitchClass.parse("F#")).isEqualTo(6);
        assertThat(PitchClass.parse("Gb")).isEqualTo(6);
        assertThat(PitchClass.parse("Cb")).isEqualTo(11);
        assertThat(PitchClass.parse("B#")).isEqualTo(0);
        assertThat(PitchClass.parse("eb")).isEqualTo(3);
        assertThatThrownBy(() -> PitchClass.parse("H")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void camelotCodesMatchTheWheel() {
        // the published wheel, 1..12: minor (A) and major (B) keys
        String[] minor = {"Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"};
        String[] major = {"B", "F#", "C#", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E"};
        for (int n = 1; n <= 12; n++) {
            assertThat(PitchClass.camelot(PitchClass.parse(minor[n - 1]), true)).isEqualTo(n + "A");
            assertThat(PitchClass.camelot(PitchClass.parse(major[n - 1]), false)).isEqualTo(n + "B");
        }
    }
}
