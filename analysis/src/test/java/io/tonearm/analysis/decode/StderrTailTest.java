package io.tonearm.analysis.decode;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StderrTailTest {

    @Test
    void keepsOnlyTheLastFewKilobytesAndCountsEveryLine() {
        StringBuilder said = new StringBuilder();
        for (int i = 0; i < 100_000; i++) said.append("[mp3float @ 0x55d] Header missing ").append(i).append('\n');
        said.append("[aist#0:0/mp3 @ 0x1] [dec:mp3float @ 0x2] Decoding error: Invalid data found when processing input\n");
        StderrTail tail = new StderrTail(new ByteArrayInputStream(said.toString().getBytes(StandardCharsets.UTF_8)), "test");
        tail.await(10_000);
        assertThat(tail.lineCount()).isEqualTo(100_001);
        assertThat(tail.text().length()).isLessThanOrEqualTo(StderrTail.MAX_CHARS);
        assertThat(tail.text()).contains("Header missing 99999");
        assertThat(tail.lastLine()).isEqualTo("Decoding error: Invalid data found when processing input");
    }

    @Test
    void stripsComponentPrefixesAndTheInputUrl() {
        assertThat(StderrTail.stripPrefixes("file:/tmp/a b/x.mp3: Invalid data found when processing input"))
                .isEqualTo("Invalid data found when processing input");
        assertThat(StderrTail.stripPrefixes("[wav @ 0x55912a105f00] Invalid sample rate: 0")).isEqualTo("Invalid sample rate: 0");
    }

    @Test
    void readsMatroskaDurationTags() {
        assertThat(FfprobeJson.clock("00:03:25.123000000")).isEqualTo(205.123);
        assertThat(FfprobeJson.clock("1:00:00.5")).isEqualTo(3600.5);
        assertThat(FfprobeJson.clock("soon")).isNull();
    }
}
