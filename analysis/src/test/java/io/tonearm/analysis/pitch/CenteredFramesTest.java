package io.tonearm.analysis.pitch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CenteredFramesTest {

    /** A ramp x[n] = n + 1, so every frame shows which samples it holds (0 = padding). */
    @Test
    void framesAreCentredOnTheSecondsGridWithZeroPaddingAtBothEnds() {
        List<float[]> frames = new ArrayList<>();
        // 10 ms at 1050 Hz is 10.5 samples: centres 0, 11 (10.5 rounds up), 21, 32, ...
        CenteredFrames framer = new CenteredFrames(8, 0.01, 1050, (frame, index) -> frames.add(frame.clone()));
        float[] ramp = new float[50];
        for (int i = 0; i < ramp.length; i++) ramp[i] = i + 1;
        framer.push(ramp, 0, 17);          // blocks of odd sizes: state carries across them
        framer.push(ramp, 17, 33);
        framer.finish();

        assertThat(frames).hasSize(5);     // centres 0, 11, 21, 32, 42 < 50
        assertThat(frames.get(0)).containsExactly(0, 0, 0, 0, 1, 2, 3, 4);
        assertThat(frames.get(1)).containsExactly(8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(frames.get(2)[4]).isEqualTo(22);
        assertThat(frames.get(3)[4]).isEqualTo(33);
        assertThat(frames.get(4)).containsExactly(39, 40, 41, 42, 43, 44, 45, 46);
    }

    @Test
    void theLastFramesArePaddedWithZeros() {
        List<float[]> frames = new ArrayList<>();
        CenteredFrames framer = new CenteredFrames(8, 0.004, 1000, (frame, index) -> frames.add(frame.clone()));
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        framer.push(ones, 0, 10);
        framer.finish();

        assertThat(frames).hasSize(3);     // centres 0, 4, 8 < 10
        assertThat(frames.get(2)).containsExactly(1, 1, 1, 1, 1, 1, 0, 0);
    }
}
