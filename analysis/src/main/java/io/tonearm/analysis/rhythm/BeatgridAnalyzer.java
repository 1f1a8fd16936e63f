package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Beats, downbeats and time signature: the {@link TempoEstimator} period (the same estimate {@code bpm} gives)
 * seeds Ellis's dynamic-programming {@link BeatTracker} on the shared {@link OnsetStrength} envelope; the
 * {@link MeterEstimator} then groups the beats into bars by their low-frequency accents. With
 * {@code method=beatnet} the same tracking runs on {@link BeatNetActivation}s instead (downbeat activation as
 * the bar accent).
 */
public final class BeatgridAnalyzer implements Analyzer<BeatgridAnalyzer.Result> {

    /**
     * @param beats          beat times in seconds
     * @param downbeats      times of the beats that start a bar (a subset of {@code beats})
     * @param timeSignature  "4/4" or "3/4" (null without beats)
     * @param tempo          BPM from the mean inter-beat interval (null with fewer than two beats)
     * @param confidence     0..1, the tempo estimate's confidence: normalized autocorrelation of the onset envelope
     *                       at the beat period
     */
    public record Result(List<Double> beats, List<Double> downbeats, String timeSignature, Double tempo, double confidence) {
    }

    static final String METHOD = "method", DSP = "dsp", BEATNET = "beatnet";

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("beatgrid", 1,
                    "Beat and downbeat times and time signature: dynamic-programming beat tracking seeded by the bpm estimate")
            .withParams(BpmAnalyzer.tempoRange()[0], BpmAnalyzer.tempoRange()[1],
                    ParamSpec.choice(METHOD, DSP, List.of(DSP, BEATNET), "activation the beats are tracked on: dsp = SuperFlux onset "
                            + "strength; beatnet = BeatNet network beat/downbeat activations (needs the models directory, "
                            + BeatNetModel.DIR_PROPERTY + " or " + BeatNetModel.DIR_ENV + ")"));

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<Result> start(Params params, RecordingContext recording) {
        TempoEstimator estimator = BpmAnalyzer.estimator(params);
        if (params.string(METHOD).equals(BEATNET)) {
            BeatNetActivation net = recording.feature(BeatNetActivation.FEATURE);
            return () -> track(estimator, net.beatActivation(), net.frameRate(), 0, net.downbeatActivation());
        }
        OnsetStrength envelope = recording.feature(OnsetStrength.STANDARD);
        return () -> track(estimator, envelope.strength(), envelope.frameRate(), Rhythm.LATENCY_SECONDS, envelope.lowStrength());
    }

    /**
     * @param strength  the activation beats are tracked on
     * @param latency   seconds from a frame's time to the event its peak marks
     * @param barAccent what marks bar starts (low-band onset strength, or a downbeat activation)
     */
    static Result track(TempoEstimator estimator, float[] strength, double fps, double latency, float[] barAccent) {
        TempoEstimator.Estimate estimate = estimator.estimate(strength, fps);
        if (estimate.bpm() == null) return new Result(List.of(), List.of(), null, null, 0);
        int[] frames = BeatTracker.track(strength, estimate.period());
        List<Double> beats = new ArrayList<>(frames.length);
        for (int f : frames) beats.add(Rhythm.round3(Math.max(0, f / fps + latency)));
        if (frames.length == 0) return new Result(List.of(), List.of(), null, null, Rhythm.round3(estimate.confidence()));
        MeterEstimator.Meter meter = MeterEstimator.estimate(frames, barAccent);
        List<Double> downbeats = new ArrayList<>();
        for (int i = meter.firstDownbeat(); i < beats.size(); i += meter.beatsPerBar()) downbeats.add(beats.get(i));
        Double tempo = frames.length < 2 ? null
                : Rhythm.round2(60 * fps * (frames.length - 1) / (double) (frames[frames.length - 1] - frames[0]));
        return new Result(beats, downbeats, meter.beatsPerBar() + "/4", tempo, Rhythm.round3(estimate.confidence()));
    }
}
