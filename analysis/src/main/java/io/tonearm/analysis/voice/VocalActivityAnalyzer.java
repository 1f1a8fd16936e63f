package io.tonearm.analysis.voice;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Voice activity with Silero VAD v6 (Silero Team, snakers4/silero-vad, MIT) through ONNX Runtime: the analysis
 * signal resampled to 16 kHz, a speech probability every 32 ms ({@link SileroVad}), upstream's
 * {@code get_speech_timestamps} post-processing and defaults ({@link SpeechTimestamps}).
 *
 * <p>Silero is trained on <em>speech</em>: spoken and rapped voice, talk-overs, podcasts. It is not a singing-voice
 * detector, and its accuracy on sung vocals over accompaniment is unmeasured here (see docs/analysis.md).
 * Needs {@code silero-vad/silero_vad.onnx} in the models directory ({@link ModelStore}); without it this analyzer
 * fails with a message that says what to put where, and nothing else is affected.
 */
public final class VocalActivityAnalyzer implements Analyzer<VocalActivityResult> {

    public static final String NAME = "vocal-activity";

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of(NAME, 1,
                    "Voice (speech) activity regions [{start, end}] and vocal_ratio, by Silero VAD v6; speech-trained, "
                            + "sung vocals are not reliably detected")
            .withAliases("vad", "speech-activity", "silero-vad")
            .withParams(
                    ParamSpec.number("threshold", 0.5, 0.05, 0.95, "speech probability that starts a region"),
                    ParamSpec.integer("min_speech_ms", 250, 0, 10_000, "regions shorter than this are dropped"),
                    ParamSpec.integer("min_silence_ms", 100, 0, 10_000, "a region ends after this much non-speech"),
                    ParamSpec.integer("speech_pad_ms", 30, 0, 2_000, "padding added on each side of a region"));

    private final ModelStore models;

    public VocalActivityAnalyzer() {
        this(null);
    }

    /** @param models where the Silero model is found; null = {@link ModelStore#shared()} */
    public VocalActivityAnalyzer(ModelStore models) {
        this.models = models;
    }

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<VocalActivityResult> start(Params params, RecordingContext recording) {
        ModelStore store = models != null ? models : ModelStore.shared();
        SileroVad vad = new SileroVad(store.session(Model.SILERO_VAD), RecordingContext.ANALYSIS_RATE);
        recording.onAnalysisSignal(vad);
        SpeechTimestamps.Settings settings = new SpeechTimestamps.Settings(params.number("threshold"), params.integer("min_speech_ms"),
                params.integer("min_silence_ms"), params.integer("speech_pad_ms"));
        return () -> {
            long length = vad.samples();
            List<VocalRegion> regions = new ArrayList<>();
            long voiced = 0;
            for (long[] r : SpeechTimestamps.regions(vad.probabilities(), length, settings)) {
                regions.add(new VocalRegion(seconds(r[0]), seconds(r[1])));
                voiced += r[1] - r[0];
            }
            double ratio = length == 0 ? 0 : voiced / (double) length;
            return new VocalActivityResult(regions, Math.round(ratio * 1000) / 1000.0);
        };
    }

    private static double seconds(long samples16k) {
        return Math.round(samples16k * 1000.0 / SileroVad.RATE) / 1000.0;
    }
}
