package io.tonearm.sinks.credits;

import io.tonearm.sinks.accounts.Plan;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A self-hosted operator sets the plans' monthly credits without a code change; nonsense stops the start. */
class CreditPolicyTest {

    @Test
    void theEnvironmentSetsEachPlansAllowanceAndTheRestStaysDefault() {
        assertThat(CreditPolicy.configured(Map.of())).isEqualTo(CreditPolicy.defaults());
        CreditPolicy p = CreditPolicy.configured(Map.of("TONEARM_CREDITS_PRO", " 5000000 "));
        assertThat(p.monthlyAllowance(Plan.PRO)).isEqualTo(5_000_000);
        assertThat(p.monthlyAllowance(Plan.BASIC)).isEqualTo(CreditPolicy.defaults().monthlyAllowance(Plan.BASIC));
        assertThat(CreditPolicy.configured(Map.of("TONEARM_CREDITS_BASIC", "0")).monthlyAllowance(Plan.BASIC)).isZero();
    }

    @Test
    void aBadValueNamesTheVariable() {
        for (String bad : new String[]{"-1", "lots", "1e6", "2.5"}) {
            assertThatThrownBy(() -> CreditPolicy.configured(Map.of("TONEARM_CREDITS_BASIC", bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TONEARM_CREDITS_BASIC").hasMessageContaining(bad);
        }
    }
}
