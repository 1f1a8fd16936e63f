package io.tonearm.analysis.pitch;

import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.testing.Analyze;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Not a test: prints accuracy on synthesized signals and the CPU cost (× real time, this thread) of both methods
 * on 3 minutes of a noisy melody. Run with the test classpath:
 * {@code java -cp ... io.tonearm.analysis.pitch.PitchBenchmark <shared-dir> [hop_ms]}.
 */
public final class PitchBenchmark {

    public static void main(String[] args) {
        PitchAnalyzer pitch = new PitchAnalyzer(new ModelStore(Path.of(args[0], "models")));
        double hop = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        for (String method : new String[]{"yin", "crepe"}) {
            Map<String, Object> params = new HashMap<>(Map.of("method", method, "hop_ms", hop));
            StringBuilder tones = new StringBuilder();
            for (double hz : new double[]{82.41, 110, 196, 261.63, 440, 880, 1046.5}) {
                PitchResult r = Analyze.run(pitch, params, Signals.tone(hz, 1.5), Signals.RATE, 1);
                tones.append(String.format(" %.0fHz:%+.1fc/%.2f", hz, NoteNames.cents(r.medianHz(), hz), r.voicedFraction()));
            }
            System.out.println(method + " tones (median error cents / voiced fraction):" + tones);
            PitchResult scale = Analyze.run(pitch, params, Signals.notes(Scale.C_MAJOR, Scale.NOTE_SECONDS), Signals.RATE, 1);
            double worstNote = 0, worstBoundary = 0;
            for (int k = 0; k < Scale.C_MAJOR.length; k++) {
                worstNote = Math.max(worstNote, Math.abs(NoteNames.cents(Scale.noteMedian(scale.contour(), k), Scale.C_MAJOR[k])));
                if (k > 0) worstBoundary = Math.max(worstBoundary, Math.abs(Scale.boundary(scale.contour(), k) - k * Scale.NOTE_SECONDS));
            }
            System.out.printf("%s scale: worst note %.1f cents, worst boundary %.0f ms, RPA %.3f%n", method, worstNote,
                    worstBoundary * 1000, Scale.rawPitchAccuracy(scale.contour()));
            for (double snr : new double[]{20, 10, 5, 0}) {
                float[] noisy = Signals.withNoise(Signals.notes(Scale.C_MAJOR, Scale.NOTE_SECONDS), snr, 11);
                PitchResult r = Analyze.run(pitch, params, noisy, Signals.RATE, 1);
                System.out.printf("%s scale at %.0f dB SNR: RPA %.3f, voiced %.3f%n", method, snr, Scale.rawPitchAccuracy(r.contour()),
                        r.voicedFraction());
            }
            PitchResult noise = Analyze.run(pitch, params, Signals.noise(Signals.RATE * 5, 0.1, 3), Signals.RATE, 1);
            System.out.printf("%s white noise: voiced %.3f%n", method, noise.voicedFraction());
        }
        // cost: 3 minutes = the scale repeated, with noise at 10 dB
        float[] scale = Signals.withNoise(Signals.notes(Scale.C_MAJOR, Scale.NOTE_SECONDS), 10, 5);
        float[] track = new float[Signals.RATE * 180];
        for (int i = 0; i < track.length; i++) track[i] = scale[i % scale.length];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        float[] silence = new float[Signals.RATE * 180];
        long t0 = cpu.getCurrentThreadCpuTime();
        Analyze.run(pitch, Map.of("method", "yin"), silence, Signals.RATE, 1);
        double baseline = (cpu.getCurrentThreadCpuTime() - t0) / 1e9;   // the runner's own cost (SHA, fan-out), not the tracker's
        for (String method : new String[]{"yin", "yin", "crepe", "crepe"}) {
            long start = cpu.getCurrentThreadCpuTime();
            PitchResult r = Analyze.run(pitch, Map.of("method", method, "hop_ms", hop), track, Signals.RATE, 1);
            double s = (cpu.getCurrentThreadCpuTime() - start) / 1e9;
            System.out.printf("%s 180 s at %.0f ms hop: %.2f s CPU = %.0fx realtime (voiced %.2f; silent-run baseline %.2f s)%n",
                    method, hop, s, 180 / s, r.voicedFraction(), baseline);
        }
    }
}
