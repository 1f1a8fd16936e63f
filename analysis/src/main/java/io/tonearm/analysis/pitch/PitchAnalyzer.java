package io.tonearm.analysis.pitch;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;

import java.util.List;

/**
 * Predominant f0 contour with voicing, for monophonic material (a melody, a voice, a bass line). Two methods
 * behind one name: {@code yin} (default, pure DSP; measured ≈ 400× real time on one core at the default 20 ms
 * hop, ≈ 200× at 10 ms) and {@code crepe} (the CREPE tiny network; keeps tracking in noise where YIN's voicing
 * gives up, ≈ 8× real time at 20 ms, and needs the model file, see {@link ModelStore}). Both report on the same
 * time grid and go through the same smoothing and summary ({@link PitchContour}). The 20 ms default hop keeps
 * the contour at 50 points per second (≈ 1 KB of JSON per second) and halves the cost of 10 ms.
 *
 * <p>One analyzer with a {@code method} parameter rather than two names: the result schema is the same, and
 * stored results are keyed by (name, version, params hash), so yin and crepe results never collide.
 */
public final class PitchAnalyzer implements Analyzer<PitchResult> {

    public static final String NAME = "pitch";
    static final double DEFAULT_YIN_VOICING = 0.8;     // YIN threshold 0.2, TarsosDSP's default
    static final double DEFAULT_CREPE_VOICING = 0.5;   // mid-range of the usual 0.2–0.5 periodicity cut-offs

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of(NAME, 1,
                    "Predominant f0 contour (one [t, f0_hz_or_null, confidence] per hop) with voicing and summary statistics")
            .withAliases("f0", "pitch_contour")
            .withParams(
                    ParamSpec.choice("method", "yin", List.of("yin", "crepe"),
                            "yin: YIN (de Cheveigné & Kawahara 2002), fast DSP; crepe: CREPE tiny network (Kim et al. 2018), "
                                    + "more robust in noise, needs the crepe-tiny model"),
                    ParamSpec.number("hop_ms", 20.0, 5, 100, "spacing of the contour points in milliseconds (5 ms floor bounds an hour's contour)"),
                    ParamSpec.number("min_hz", 50.0, 32, 1000, "lowest f0 reported"),
                    ParamSpec.number("max_hz", 1500.0, 60, 2000, "highest f0 reported"),
                    ParamSpec.number("voicing_threshold", null, 0, 1,
                            "minimum confidence for a voiced frame; default 0.8 for yin (1 − YIN's aperiodicity threshold) "
                                    + "and 0.5 for crepe (peak network probability)"));

    private final ModelStore models;

    /** Models from the configured directory ({@link ModelStore#shared()}). */
    public PitchAnalyzer() {
        this(null);
    }

    /** @param models where the crepe method finds its model; null = {@link ModelStore#shared()}, resolved on use */
    public PitchAnalyzer(ModelStore models) {
        this.models = models;
    }

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<PitchResult> start(Params params, RecordingContext recording) {
        String method = params.string("method");
        double hop = params.number("hop_ms") / 1000;
        double minHz = params.number("min_hz");
        double maxHz = params.number("max_hz");
        if (minHz >= maxHz) throw new IllegalArgumentException("min_hz (" + minHz + ") must be below max_hz (" + maxHz + ")");
        boolean crepe = method.equals("crepe");
        double voicing = params.has("voicing_threshold") ? params.number("voicing_threshold")
                : crepe ? DEFAULT_CREPE_VOICING : DEFAULT_YIN_VOICING;
        PitchContour contour = new PitchContour(hop);
        double rate = RecordingContext.ANALYSIS_RATE;
        if (crepe) {
            ModelStore store = models != null ? models : ModelStore.shared();
            recording.onAnalysisSignal(new CrepeTracker(store.session(Model.CREPE_TINY), rate, hop, minHz, maxHz, voicing, contour));
        } else {
            recording.onAnalysisSignal(new YinTracker(rate, hop, minHz, maxHz, voicing, contour));
        }
        return () -> contour.result(method);
    }
}
