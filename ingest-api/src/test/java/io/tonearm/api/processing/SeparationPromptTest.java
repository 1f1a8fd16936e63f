package io.tonearm.api.processing;

import io.tonearm.api.errors.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeparationPromptTest {

    @Test
    void promptsMapToStemsAndTheSeparationThatMakesThem() {
        assertStems("isolate the lead vocal", "separate/2stem", "vocals");
        assertStems("Acapella please", "separate/2stem", "vocals");
        assertStems("just the vocals", "separate/2stem", "vocals");
        assertStems("remove vocals", "separate/2stem", "instrumental");
        assertStems("karaoke version", "separate/2stem", "instrumental");
        assertStems("Instrumental!", "separate/2stem", "instrumental");
        assertStems("the drums", "separate/4stem", "drums");
        assertStems("give me the beat", "separate/4stem", "drums");
        assertStems("percussion only", "separate/4stem", "drums");
        assertStems("bassline", "separate/4stem", "bass");
        assertStems("the bass", "separate/4stem", "bass");
        assertStems("other instruments", "separate/4stem", "other");
        assertStems("drums and bass", "separate/4stem", "drums", "bass");
        assertStems("vocals and drums", "separate/4stem", "drums", "vocals");
        assertStems("remove the vocals, keep the drums", "separate/4stem", "drums", "bass", "other");
    }

    @Test
    void anUnknownPromptIs422AndAMissingOneIs400() {
        assertThatThrownBy(() -> SeparationPrompt.parse("make it louder"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().getCode()).isEqualTo(422))
                .hasMessageContaining("vocals").hasMessageContaining("drums");
        assertThatThrownBy(() -> SeparationPrompt.parse(" "))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().getCode()).isEqualTo(400));
        assertThatThrownBy(() -> SeparationPrompt.parse("vocals ".repeat(100)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().getCode()).isEqualTo(400));
    }

    private static void assertStems(String prompt, String kind, String... stems) {
        SeparationPrompt p = SeparationPrompt.parse(prompt);
        assertThat(p.kind()).as(prompt).isEqualTo(kind);
        assertThat(p.stems()).as(prompt).isEqualTo(List.of(stems));
    }
}
