package io.tonearm.launcher.bench;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SubtaskSplitTest {

    private static final long S = 1_000_000_000L;

    /** A key that Flink's default assignment for parallelism 2 puts on {@code subtask}. */
    private static String keyOn(int subtask, int n) {
        for (int i = 0; ; i++) {
            String key = "sha-" + subtask + "-" + n + "-" + i;
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, 128, 2) == subtask) return key;
        }
    }

    @Test
    void countsEachSubtasksRecordingsAndEndsTheBusyWindowWhenTheFirstRunsDry() {
        Map<String, Long> done = new LinkedHashMap<>();
        done.put(keyOn(0, 1), 10 * S);
        done.put(keyOn(1, 1), 11 * S);
        done.put(keyOn(0, 2), 12 * S);
        done.put(keyOn(1, 2), 13 * S); // subtask 1's last: both were busy until here
        done.put(keyOn(0, 3), 14 * S); // subtask 0 alone from here on
        done.put(keyOn(0, 4), 16 * S);

        SubtaskSplit split = SubtaskSplit.of(done, 2);

        assertThat(split.perSubtask()).containsExactly(4, 2);
        assertThat(split.label()).isEqualTo("4/2");
        assertThat(split.saturatedDone()).isEqualTo(4);
        assertThat(split.saturatedSeconds()).isEqualTo(3.0, within(1e-9));
        assertThat(split.saturatedRate()).hasValueCloseTo(60.0, within(1e-9)); // 3 recordings in 3 s
    }

    @Test
    void oneSubtaskIsBusyUntilTheLastRecording() {
        Map<String, Long> done = new LinkedHashMap<>(Map.of("a", 2 * S, "b", 4 * S, "c", 8 * S));

        SubtaskSplit split = SubtaskSplit.of(done, 1);

        assertThat(split.perSubtask()).containsExactly(3);
        assertThat(split.saturatedRate()).hasValueCloseTo(20.0, within(1e-9)); // 2 recordings in 6 s
    }

    @Test
    void noRateWhenASubtaskRanDryAfterItsFirstRecording() {
        Map<String, Long> done = new LinkedHashMap<>();
        done.put(keyOn(1, 1), 5 * S);
        done.put(keyOn(0, 1), 6 * S);
        done.put(keyOn(0, 2), 7 * S);

        assertThat(SubtaskSplit.of(done, 2).saturatedRate()).isEmpty();
    }
}
