package io.tonearm.pipeline.analysis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The heavy pool's size is an operator's setting, not a code change. */
class AnalysisJobSettingsTest {

    private static final String PROPERTY = "tonearm.heavy-concurrency";

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void theHeavyConcurrencyComesFromTheSettingAndDefaultsToOne() {
        assertThat(AnalysisJob.Settings.configured()).isEqualTo(AnalysisJob.Settings.DEFAULT);
        assertThat(AnalysisJob.Settings.DEFAULT.heavyConcurrency()).isEqualTo(1);
        System.setProperty(PROPERTY, " 3 ");
        AnalysisJob.Settings s = AnalysisJob.Settings.configured();
        assertThat(s.heavyConcurrency()).isEqualTo(3);
        assertThat(s.withHeavyConcurrency(1)).isEqualTo(AnalysisJob.Settings.DEFAULT);
    }

    @Test
    void aBadValueIsAStartUpErrorNamingTheSetting() {
        for (String bad : new String[]{"0", "-2", "two", "1.5"}) {
            System.setProperty(PROPERTY, bad);
            assertThatThrownBy(AnalysisJob.Settings::configured).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TONEARM_HEAVY_CONCURRENCY").hasMessageContaining(bad);
        }
    }
}
