package io.tonearm.analysis.voice;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream Silero's {@code get_speech_timestamps} post-processing over per-chunk probabilities, in 16 kHz samples:
 * hysteresis (a region starts at p ≥ threshold and ends once p has stayed below threshold − 0.15 for the minimum
 * silence), regions shorter than the minimum speech length dropped, then each region padded, neighbours closer
 * than twice the pad meeting halfway.
 */
final class SpeechTimestamps {

    record Settings(double threshold, int minSpeechMs, int minSilenceMs, int padMs) {
    }

    private SpeechTimestamps() {
    }

    /** Regions as {start, end} sample pairs at {@link SileroVad#RATE}. */
    static List<long[]> regions(float[] p, long length, Settings s) {
        int window = SileroVad.CHUNK;
        long minSpeech = SileroVad.RATE * (long) s.minSpeechMs() / 1000, minSilence = SileroVad.RATE * (long) s.minSilenceMs() / 1000;
        long pad = SileroVad.RATE * (long) s.padMs() / 1000;
        double negThreshold = Math.max(s.threshold() - 0.15, 0.01);
        List<long[]> speeches = new ArrayList<>();
        boolean triggered = false;
        long start = 0, tempEnd = 0;
        for (int i = 0; i < p.length; i++) {
            long at = (long) window * i;
            if (p[i] >= s.threshold() && tempEnd != 0) tempEnd = 0;
            if (p[i] >= s.threshold() && !triggered) {
                triggered = true;
                start = at;
                continue;
            }
            if (p[i] < negThreshold && triggered) {
                if (tempEnd == 0) tempEnd = at;
                if (at - tempEnd < minSilence) continue;
                if (tempEnd - start > minSpeech) speeches.add(new long[]{start, tempEnd});
                triggered = false;
                tempEnd = 0;
            }
        }
        if (triggered && length - start > minSpeech) speeches.add(new long[]{start, length});
        for (int i = 0; i < speeches.size(); i++) {
            long[] r = speeches.get(i);
            if (i == 0) r[0] = Math.max(0, r[0] - pad);
            if (i + 1 < speeches.size()) {
                long[] next = speeches.get(i + 1);
                long silence = next[0] - r[1];
                if (silence < 2 * pad) {
                    r[1] += silence / 2;
                    next[0] = Math.max(0, next[0] - silence / 2);
                } else {
                    r[1] = Math.min(length, r[1] + pad);
                    next[0] = Math.max(0, next[0] - pad);
                }
            } else {
                r[1] = Math.min(length, r[1] + pad);
            }
        }
        return speeches;
    }
}
