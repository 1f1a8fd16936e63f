package io.tonearm.analysis.loudness;

import java.util.SplittableRandom;

/** A deterministic stereo signal shaped like a loud modern master (dense, soft-clipped, kick-driven): a worst case for true-peak skipping. */
final class LoudMaster {

    private LoudMaster() {
    }

    private static float softClip(double x) {
        double y = 2.5 * x;
        return (float) (0.99 * y / (1 + Math.abs(y)));
    }

    /** Low-passed noise with a 120 BPM kick-like envelope, soft-clipped close to 0 dBFS. */
    static float[] of(int rate, int frames) {
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
