package io.tonearm.analysis.waveform;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import static org.assertj.core.api.Assertions.assertThat;

/** Prints the waveform analyzer's CPU cost on 3 minutes of 44.1 kHz stereo (a report, not a timed assertion). */
class WaveformSpeedTest {

    @Test
    void threeMinutesOfStereo() {
        int rate = 44_100;
        float[] pcm = new float[rate * 180 * 2];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (float) Math.sin(i * 0.001) * ((i * 7919) % 1000) / 1000f;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        WaveformResult r = null;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 4; round++) {
            long t0 = bean.getCurrentThreadCpuTime();
            r = Analyze.run(new WaveformAnalyzer(), pcm, rate, 2);
            best = Math.min(best, bean.getCurrentThreadCpuTime() - t0);
        }
        System.out.printf("[waveform-speed] 180 s 44.1 kHz stereo, 1000 points: %.3f s CPU (%.0fx realtime, includes the runner)%n",
                best / 1e9, 180 / (best / 1e9));
        assertThat(r.points()).isEqualTo(1000);
    }
}
