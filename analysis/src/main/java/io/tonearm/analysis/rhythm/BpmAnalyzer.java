package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;

import java.util.ArrayList;
import java.util.List;

/** Global tempo: {@link TempoEstimator} on the shared {@link OnsetStrength} envelope. */
public final class BpmAnalyzer implements Analyzer<BpmAnalyzer.Result> {

    /**
     * @param tempo        beats per minute (2 decimals), null when the recording has no pulse (silence)
     * @param confidence   0..1: normalized autocorrelation of the onset envelope at the beat period (1 = perfectly
     *                     periodic; below ~0.2 the tempo is a guess)
     * @param alternatives other tempi the envelope supports, strongest first
     */
    public record Result(Double tempo, double confidence, List<Alternative> alternatives) {
    }

    /**
     * @param relation to the chosen tempo: {@code half} (×½), {@code double} (×2), {@code third} (×⅓ or ×3),
     *                 {@code other}
     */
    public record Alternative(double tempo, double score, String relation) {
    }

    static final String MIN_BPM = "min_bpm", MAX_BPM = "max_bpm";
    static final double DEFAULT_MIN_BPM = 40, DEFAULT_MAX_BPM = 240;

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("bpm", 1,
                    "Global tempo by autocorrelation of the SuperFlux onset envelope with octave-error handling")
            .withAliases("bpm_degara")
            .withParams(tempoRange());

    /** The tempo-hint parameters, shared with beatgrid. */
    static ParamSpec[] tempoRange() {
        return new ParamSpec[]{
                ParamSpec.number(MIN_BPM, DEFAULT_MIN_BPM, 20, 400, "slowest tempo the answer may have (BPM)"),
                ParamSpec.number(MAX_BPM, DEFAULT_MAX_BPM, 20, 400, "fastest tempo the answer may have (BPM)")};
    }

    static TempoEstimator estimator(Params params) {
        return new TempoEstimator(params.number(MIN_BPM), params.number(MAX_BPM));
    }

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<Result> start(Params params, RecordingContext recording) {
        TempoEstimator estimator = estimator(params);
        OnsetStrength envelope = recording.feature(OnsetStrength.STANDARD);
        return () -> result(estimator.estimate(envelope.strength(), envelope.frameRate()));
    }

    static Result result(TempoEstimator.Estimate estimate) {
        if (estimate.bpm() == null) return new Result(null, 0, List.of());
        List<Alternative> alternatives = new ArrayList<>();
        for (TempoEstimator.Candidate c : estimate.alternatives()) {
            if (alternatives.size() == 5) break;
            alternatives.add(new Alternative(Rhythm.round2(c.bpm()), Rhythm.round3(Math.max(0, c.score())), relation(c.bpm() / estimate.bpm())));
        }
        return new Result(Rhythm.round2(estimate.bpm()), Rhythm.round3(estimate.confidence()), alternatives);
    }

    static String relation(double ratio) {
        if (near(ratio, 0.5)) return "half";
        if (near(ratio, 2)) return "double";
        if (near(ratio, 1 / 3.0) || near(ratio, 3)) return "third";
        return "other";
    }

    private static boolean near(double ratio, double target) {
        return Math.abs(Math.log(ratio / target)) < 0.03;
    }
}
