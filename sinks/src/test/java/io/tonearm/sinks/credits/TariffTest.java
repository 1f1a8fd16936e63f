package io.tonearm.sinks.credits;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table of DESIGN.md; per-minute prices on the duration rounded up. */
class TariffTest {

    private final Tariff tariff = Tariff.standard();

    @Test
    void flatPricesFollowTheTable() {
        for (String e : new String[]{"bpm", "key", "lufs", "key-bpm", "pitch"}) {
            assertThat(tariff.cost(e, null)).as(e).isEqualTo(2);
        }
        assertThat(tariff.cost("beatgrid", null)).isEqualTo(4);
        assertThat(tariff.cost("chords", 600.0)).as("duration does not matter").isEqualTo(4);
        assertThat(tariff.cost("identify", null)).isEqualTo(3);
        assertThat(tariff.cost("analyze/upload", null)).isEqualTo(10);
    }

    @Test
    void perMinutePricesRoundTheDurationUp() {
        assertThat(tariff.cost("master", 60.0)).isEqualTo(5);
        assertThat(tariff.cost("master", 60.01)).isEqualTo(10);
        assertThat(tariff.cost("separate/2stem", 181.0)).isEqualTo(24);
        assertThat(tariff.cost("separate/4stem", 59.0)).isEqualTo(10);
        assertThat(tariff.cost("transcribe", 120.0)).isEqualTo(20);
        assertThat(tariff.cost("segment-transcribe", 3599.5)).isEqualTo(12 * 60);
        assertThat(tariff.cost("master", 0.0)).as("at least one minute").isEqualTo(5);
        assertThatThrownBy(() -> tariff.cost("master", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> tariff.cost("master", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamModelsCostTheirClosestEntry() {
        assertThat(tariff.cost(Tariff.streamEndpoint("loudness-ebur128"), null)).isEqualTo(2);
        assertThat(tariff.cost(Tariff.streamEndpoint("pitch"), null)).isEqualTo(2);
        assertThat(tariff.cost(Tariff.streamEndpoint("beatgrid"), null)).isEqualTo(4);
        assertThat(tariff.cost(Tariff.streamEndpoint("chords"), null)).isEqualTo(4);
        assertThat(tariff.cost(Tariff.streamEndpoint("waveform"), null)).isEqualTo(2);
        assertThat(tariff.price(Tariff.streamEndpoint("waveform")).perMinute()).isFalse();
    }

    @Test
    void streamModelsTheApiRunsAsPerMinuteJobsCostWhatThoseJobsCost() {
        assertThat(tariff.price(Tariff.streamEndpoint("transcribe")).perMinute()).isTrue();
        assertThat(tariff.cost(Tariff.streamEndpoint("transcribe"), 61.0)).as("two started minutes at 10")
                .isEqualTo(tariff.cost("transcribe", 61.0)).isEqualTo(20);
        assertThat(tariff.cost(Tariff.streamEndpoint("segment-transcribe"), 30.0)).isEqualTo(12);
        assertThat(tariff.cost(Tariff.streamEndpoint("separate-4stem"), 120.0)).isEqualTo(20);
        assertThatThrownBy(() -> tariff.cost(Tariff.streamEndpoint("transcribe"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    }

    @Test
    void aRegistrationCostsWhatTheApiChargesForEachOfItsAnalyzers() {
        String standard = Tariff.registrationEndpoint(List.of("bpm", "beatgrid", "key", "loudness-ebur128", "chords"));
        assertThat(standard).isEqualTo("registration:bpm,beatgrid,key,loudness-ebur128,chords");
        long apiRequests = 0;
        for (String e : new String[]{"bpm", "beatgrid", "key", "lufs", "chords"}) {
            apiRequests += tariff.cost(e, null);
        }
        assertThat(tariff.cost(standard, null)).isEqualTo(apiRequests).isEqualTo(14);
        assertThat(tariff.knows(standard)).isTrue();
        assertThat(tariff.cost(Tariff.registrationEndpoint(List.of("waveform")), null)).isEqualTo(2);
        assertThatThrownBy(() -> tariff.cost(Tariff.registrationEndpoint(List.of("bpm", "separate-2stem")), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("separate-2stem is priced per minute");
        assertThatThrownBy(() -> tariff.cost(Tariff.registrationEndpoint(List.of()), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one analyzer");
    }

    @Test
    void anUnknownEndpointIsAProgrammingError() {
        assertThatThrownBy(() -> tariff.cost("bmp", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bmp");
    }
}
