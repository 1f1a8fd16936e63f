package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Global key by profile correlation (Krumhansl-Schmuckler, with the Krumhansl-Kessler profiles by default) of the
 * whole track's energy-weighted, tuning-corrected {@link Chroma}. Tonics are spelled
 * {@code C C# D Eb E F F# G Ab A Bb B} (see {@link PitchClass}); the Camelot code is given beside.
 *
 * <p>Confidence (0..1) = max(0, winning correlation) × margin factor × tonality factor, where the margin factor
 * is min(1, (winner − runner-up correlation) / {@value #FULL_MARGIN}) and the tonality factor is
 * min(1, (1 − flatness of the track's pitch-class profile) / {@value #FULL_TONALITY}). A close relative or
 * dominant runner-up lowers it (the mode or tonic is then in doubt); noise, whose profile is flat, scores near 0
 * even when some key profile happens to correlate. Rendered cadences in all 24 keys score 0.73-0.93.
 */
public final class KeyAnalyzer implements Analyzer<KeyResult> {

    static final double FULL_MARGIN = 0.15;
    static final double FULL_TONALITY = 0.3;
    private static final int ALTERNATIVES = 4;

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("key", 1,
                    "Global key (tonic, mode, Camelot) by key-profile correlation of a tuning-corrected HPCP chromagram")
            .withParams(ParamSpec.choice("profile", KeyProfile.KRUMHANSL.id(), KeyProfile.ids(),
                    "key profiles correlated with the track's pitch-class profile"));

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<KeyResult> start(Params params, RecordingContext recording) {
        Chroma chroma = recording.feature(Chroma.FEATURE);
        KeyProfile profile = KeyProfile.byId(params.string("profile"));
        return () -> estimate(trackProfile(chroma), chroma.tuningFrequency(), profile);
    }

    /** Sum of all frames' pitch-class energies: louder passages weigh more. */
    static double[] trackProfile(Chroma chroma) {
        double[] sum = new double[12];
        for (int i = 0; i < chroma.frames(); i++) {
            for (int pc = 0; pc < 12; pc++) sum[pc] += chroma.value(i, pc);
        }
        return sum;
    }

    static KeyResult estimate(double[] pitchClasses, double tuningFrequency, KeyProfile profile) {
        double tuning = Math.round(tuningFrequency * 10) / 10.0;
        double total = 0;
        for (double v : pitchClasses) total += v;
        if (!(total > 1e-9)) return new KeyResult(null, null, null, 0, 0, List.of(), tuning, profile.id());

        List<KeyEstimator.Candidate> ranked = KeyEstimator.rank(pitchClasses, profile);
        KeyEstimator.Candidate best = ranked.get(0);
        double margin = Math.min(1, (best.score() - ranked.get(1).score()) / FULL_MARGIN);
        double tonality = Math.min(1, (1 - flatness(pitchClasses)) / FULL_TONALITY);
        double confidence = Math.max(0, best.score()) * margin * tonality;

        List<KeyResult.Alternative> alternatives = new ArrayList<>();
        for (KeyEstimator.Candidate c : ranked.subList(1, 1 + ALTERNATIVES)) {
            alternatives.add(new KeyResult.Alternative(PitchClass.name(c.tonic()), mode(c), round(c.score()),
                    KeyEstimator.relation(best, c)));
        }
        return new KeyResult(PitchClass.name(best.tonic()), mode(best), PitchClass.camelot(best.tonic(), best.minor()),
                round(confidence), round(best.score()), alternatives, tuning, profile.id());
    }

    /** Geometric over arithmetic mean: 1 for a flat profile, towards 0 for a peaked one. */
    static double flatness(double[] v) {
        double logSum = 0, sum = 0;
        for (double x : v) {
            double y = Math.max(x, 1e-12);
            logSum += Math.log(y);
            sum += y;
        }
        return Math.exp(logSum / v.length) / (sum / v.length);
    }

    private static String mode(KeyEstimator.Candidate c) {
        return c.minor() ? "minor" : "major";
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
