package io.tonearm.analysis.structure;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.ParamSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;

/**
 * Musical structure: sections with boundaries and repetition labels (A, B, A, C, …). Foote's checkerboard novelty
 * (ICME 2000) on the self-similarity of harmony (tuned chroma) and timbre (MFCC) at ≈ 2 frames per second, the
 * approach MSAF ships as its {@code foote} boundary algorithm (Nieto &amp; Bello, ISMIR 2016 late-breaking demo), with
 * peak picking under a minimum section length; labels by clustering the segments' mean features
 * ({@link SectionFinder}, {@link SectionLabels}).
 *
 * <p>Streaming: only the compact feature sequence is kept ({@link StructureFeatures}, ≈ 1.6 MB an hour); the
 * similarity matrix is never stored, only the band the kernel touches is computed.
 */
public final class SectionsAnalyzer implements Analyzer<SectionsResult> {

    public static final String NAME = "sections";

    static final AnalyzerSpec SPEC = AnalyzerSpec.of(NAME, 1,
                    "Structure sections [{start, end, label, confidence}]: Foote novelty on chroma + MFCC self-similarity, "
                            + "labels by clustering repeated material")
            .withAliases("structure", "segments")
            .withParams(
                    ParamSpec.number("min_section_s", 8.0, 2, 120, "shortest section in seconds"),
                    ParamSpec.number("kernel_s", 8.0, 2, 60,
                            "half-width of the novelty kernel in seconds: how much context on each side a change is judged by"),
                    ParamSpec.number("label_threshold", 0.75, 0, 1,
                            "how alike (mean of harmony and timbre cosines) two segments must be to share a label"));

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<SectionsResult> start(Params params, RecordingContext recording) {
        StructureFeatures features = recording.feature(StructureFeatures.FEATURE);
        SectionFinder.Settings settings = new SectionFinder.Settings(params.number("min_section_s"), params.number("kernel_s"),
                params.number("label_threshold"));
        return () -> new SectionsResult(SectionFinder.find(features, settings));
    }
}
