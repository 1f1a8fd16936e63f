package io.tonearm.analysis.fingerprint;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;
import io.tonearm.analysis.features.Spectrum;

import java.util.ArrayList;
import java.util.List;

/**
 * Landmark fingerprints for identification (Wang 2003, "An Industrial-Strength Audio Search Algorithm";
 * parameters after Ellis's audfprint): a magnitude spectrogram of the analysis signal at 21.5 Hz × 23.2 ms (the
 * resolution audfprint uses at 11025 Hz, so no extra resampling; which STFT gives it is the {@link LandmarkFormat},
 * one per analyzer version), a {@link PeakConstellation} up to 5.5 kHz, and {@link LandmarkPairer landmark pairs}
 * hashed by {@link LandmarkHash}. The landmarks are returned packed ({@link Landmarks.Packed}) for the pipeline to
 * index; {@link Matcher} finds them again.
 */
public final class FingerprintAnalyzer implements Analyzer<FingerprintAnalyzer.Result> {

    /** The pipeline adds this analyzer to every recording's first analysis (the landmark index). */
    public static final String NAME = "fingerprint";


    /**
     * @param hashCount       number of landmarks
     * @param hashesPerSecond landmarks per second of audio
     * @param frameRate       time unit of {@code landmarks.times}, frames per second
     * @param durationSeconds audio analysed
     * @param landmarks       the landmarks, packed
     */
    public record Result(int hashCount, double hashesPerSecond, double frameRate, double durationSeconds, Landmarks.Packed landmarks) {
    }

    private static AnalyzerSpec spec(LandmarkFormat format) {
        return AnalyzerSpec.of(NAME, format.analyzerVersion(),
                    "Landmark fingerprint (spectral peak pairs hashed to 32 bits) for identification and near-duplicate detection")
            .withParams(
                    ParamSpec.number("density", 20.0, 1.0, 100.0,
                            "target spectral peaks per second; queries may use more than the indexed recordings"),
                    ParamSpec.integer("fanout", 3, 1, 10, "target peaks paired with each anchor peak"),
                    ParamSpec.choice("shifts", "1", List.of("1", "2", "4"),
                            "frame grids analysed, a fraction of a frame apart; 4 for queries (an excerpt's grid falls "
                                    + "anywhere against the indexed recording's), 1 for indexing"));
    }

    private final LandmarkFormat format;
    private final AnalyzerSpec spec;

    /** The current version ({@link LandmarkFormat#CURRENT}). */
    public FingerprintAnalyzer() {
        this(LandmarkFormat.CURRENT);
    }

    /** The version that computes {@code format}: every format stays registered, as indexed recordings keep theirs. */
    public FingerprintAnalyzer(LandmarkFormat format) {
        this.format = format;
        this.spec = spec(format);
    }

    @Override
    public AnalyzerSpec spec() {
        return spec;
    }

    /** Version 1's spectrogram (1024/512) serves nothing else, and the pipeline adds it to every first analysis. */
    @Override
    public boolean runsBesideOthers() {
        return !format.sharesItsSpectrum();
    }

    @Override
    public Run<Result> start(Params params, RecordingContext recording) {
        int shifts = Integer.parseInt(params.string("shifts"));
        Spectrum spectrum = recording.feature(format.spectrum(shifts));
        float[] peakBins = new float[LandmarkHash.MAX_BIN + 1];
        LandmarkPairer[] pairers = new LandmarkPairer[shifts];
        PeakConstellation[] grids = new PeakConstellation[shifts];
        for (int k = 0; k < shifts; k++) {
            pairers[k] = new LandmarkPairer(params.integer("fanout"), format);
            grids[k] = new PeakConstellation(params.number("density"), pairers[k]);
        }
        // frame j of the finer spectrogram is frame j / shifts of grid j % shifts, which starts k/shifts of a frame late
        spectrum.subscribe(new Spectrum.FrameListener() {
            @Override
            public void frame(float[] magnitude, long index) {
                grids[(int) (index % shifts)].frame(format.peakBins(magnitude, peakBins));
            }

            @Override
            public void end() {
                for (PeakConstellation g : grids) g.end();
            }
        });
        return () -> {
            int frames = (int) ((spectrum.frames() + shifts - 1) / shifts);
            List<Landmarks> all = new ArrayList<>();
            for (int k = 0; k < shifts; k++) all.add(pairers[k].finish(frames).shifted(2 * k >= shifts ? 1 : 0));
            return result(format, shifts == 1 ? all.get(0) : Landmarks.union(all));
        };
    }

    static Result result(LandmarkFormat format, Landmarks landmarks) {
        double seconds = landmarks.durationSeconds();
        double rate = seconds > 0 ? Math.round(landmarks.count() / seconds * 100) / 100.0 : 0;
        return new Result(landmarks.count(), rate, Landmarks.FRAME_RATE, Math.round(seconds * 1000) / 1000.0, landmarks.pack(format));
    }
}
