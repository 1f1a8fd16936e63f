package io.tonearm.analysis.rhythm;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Note and drum onsets: peaks of the {@link OnsetStrength} envelope picked as librosa's onset_detect does
 * (normalized envelope, local maximum over 30 ms before, above the mean of ±100 ms by {@code threshold}, at
 * least 30 ms apart).
 */
public final class OnsetsAnalyzer implements Analyzer<OnsetsAnalyzer.Result> {

    /**
     * @param onsets onset times in seconds, ascending
     * @param count  number of onsets
     * @param rate   onsets per second of audio
     */
    public record Result(List<Double> onsets, int count, double rate) {
    }

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("onsets", 1,
                    "Onset times (notes, drum hits): peak-picked SuperFlux onset strength")
            .withParams(ParamSpec.number("threshold", 0.07, 0.0, 1.0,
                    "how far above the local mean (of the envelope scaled to 0..1) a peak must rise; lower finds more onsets"));

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<Result> start(Params params, RecordingContext recording) {
        OnsetStrength envelope = recording.feature(OnsetStrength.STANDARD);
        double threshold = params.number("threshold");
        return () -> detect(envelope, threshold);
    }

    static Result detect(OnsetStrength envelope, double threshold) {
        double fps = envelope.frameRate();
        PeakPicker picker = new PeakPicker(frames(0.03, fps), 0, frames(0.10, fps), frames(0.10, fps) + 1, threshold, frames(0.03, fps));
        int[] peaks = picker.pick(PeakPicker.normalized(envelope.strength()));
        List<Double> times = new ArrayList<>(peaks.length);
        for (int p : peaks) times.add(Rhythm.round3(Rhythm.frameTime(p, fps)));
        double seconds = envelope.frames() / fps;
        return new Result(times, times.size(), seconds > 0 ? Math.round(times.size() / seconds * 1000) / 1000.0 : 0);
    }

    private static int frames(double seconds, double fps) {
        return (int) Math.round(seconds * fps);
    }
}
