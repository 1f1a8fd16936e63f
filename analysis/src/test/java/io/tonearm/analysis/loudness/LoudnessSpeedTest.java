package io.tonearm.analysis.loudness;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints the analyzer's CPU cost on 3 minutes of 44.1 kHz stereo shaped like a loud modern master (dense,
 * soft-clipped peaks near full scale: the worst case for skipping true-peak interpolation). A report, not a timed
 * assertion: the shared CI machine's timing is not a pass/fail criterion.
 */
class LoudnessSpeedTest {

    @Test
    void threeMinutesOfLoudStereo() {
        int rate = 44_100;
        int frames = rate * 180;
        float[] pcm = loudMaster(rate, frames);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        LoudnessResult result = null;
        long best = Long.MAX_VALUE;
        long withoutTruePeak = Long.MAX_VALUE;
        double share = 0;
        for (int round = 0; round < 6; round++) { // the first rounds warm the JIT up
            boolean tp = round % 2 == 0;
            long t0 = bean.getCurrentThreadCpuTime();
            EbuR128Analyzer.Meter meter = new EbuR128Analyzer.Meter(rate, 2, ChannelWeights.forLayout("stereo", 2), tp);
            for (int off = 0; off < frames; off += 4096) meter.samples(pcm, off * 2, Math.min(4096, frames - off));
            meter.end();
            long spent = bean.getCurrentThreadCpuTime() - t0;
            if (!tp) {
                withoutTruePeak = Math.min(withoutTruePeak, spent);
                continue;
            }
            result = meter.result();
            best = Math.min(best, spent);
            share = meter.truePeakInterpolatedShare();
        }
        System.out.printf("[loudness-speed] without true peak: %.3f s CPU%n", withoutTruePeak / 1e9);
        System.out.printf("[loudness-speed] 180 s 44.1 kHz stereo: %.3f s CPU (%.0fx realtime), true-peak chunks interpolated %.0f%%: %s%n",
                best / 1e9, 180 / (best / 1e9), share * 100, result);
        assertThat(result.integratedLufs()).isBetween(-20.0, -3.0);
        assertThat(result.truePeakDbtp()).isGreaterThanOrEqualTo(result.samplePeakDbfs());
    }

    private static float softClip(double x) {
        double y = 2.5 * x;
        return (float) (0.99 * y / (1 + Math.abs(y)));
    }

    /** Low-passed noise with a 120 BPM kick-like envelope, soft-clipped close to 0 dBFS. */
    static float[] loudMaster(int rate, int frames) {
        SplittableRandom random = new SplittableRandom(7);
        float[] pcm = new float[frames * 2];
        double l = 0, r = 0;
        double[] kick = new double[rate / 2]; // one beat at 120 BPM
        for (int i = 0; i < kick.length; i++) {
            double t = i / (double) rate;
            kick[i] = Math.exp(-t * 30) * Math.sin(2 * Math.PI * 55 * t);
        }
        double bed = 0;
        for (int i = 0; i < frames; i++) {
            l += 0.3 * (random.nextDouble(-1, 1) - l);
            r += 0.3 * (random.nextDouble(-1, 1) - r);
            if (i % 1024 == 0) bed = 0.6 + 0.4 * Math.sin(2 * Math.PI * i / (rate * 20.0));
            double k = kick[i % kick.length];
            pcm[2 * i] = softClip(bed * l + 0.5 * k);
            pcm[2 * i + 1] = softClip(bed * r + 0.5 * k);
        }
        return pcm;
    }
}
