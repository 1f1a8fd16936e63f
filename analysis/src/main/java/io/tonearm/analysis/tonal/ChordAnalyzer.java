package io.tonearm.analysis.tonal;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Major/minor chord recognition by template matching and HMM smoothing, the classic baseline of Fujishima (1999)
 * and Bello &amp; Pickens (ISMIR 2005): each frame of the shared {@link Chroma} is compared (cosine) with the 24
 * triad templates and a flat "no chord" template; a Viterbi pass with a strong self-transition then picks the
 * most likely chord sequence, so single-frame flickers cannot survive. Frames quieter than
 * {@value #SILENCE_DB} dBFS are N. Sevenths are not in the vocabulary (version 1: triads only, MIREX "majmin").
 */
public final class ChordAnalyzer implements Analyzer<ChordsResult> {

    /** Frames whose mean square is below this are silent: N. */
    static final double SILENCE_DB = -60;
    /** Sharpness of the emission: log-likelihood = {@value} × cosine similarity. */
    static final double EMISSION_GAIN = 25;
    /** Probability of staying on the same chord from one frame (93 ms) to the next. */
    static final double SELF_TRANSITION = 0.9;
    private static final int SUMMARY_SIZE = 6;

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("chords", 1,
            "Major/minor triads and N over time (Harte labels), chroma templates smoothed by an HMM");

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<ChordsResult> start(Params params, RecordingContext recording) {
        Chroma chroma = recording.feature(Chroma.FEATURE);
        return () -> recognize(chroma);
    }

    static ChordsResult recognize(Chroma chroma) {
        int frames = chroma.frames();
        if (frames == 0) return new ChordsResult(List.of(), List.of());
        double[][] templates = new double[ChordVocabulary.STATES][];
        for (int s = 0; s < ChordVocabulary.STATES; s++) templates[s] = ChordVocabulary.template(s);
        double silence = Math.pow(10, SILENCE_DB / 10);
        double[][] emission = new double[frames][ChordVocabulary.STATES];
        float[] v = new float[12];
        for (int i = 0; i < frames; i++) {
            chroma.vector(i, v);
            double norm = 0;
            for (float x : v) norm += x * (double) x;
            norm = Math.sqrt(norm);
            if (chroma.energy(i) < silence || !(norm > 0)) {
                for (int s = 0; s < ChordVocabulary.NO_CHORD; s++) emission[i][s] = -EMISSION_GAIN;
                continue;
            }
            for (int s = 0; s < ChordVocabulary.STATES; s++) {
                double dot = 0;
                for (int pc = 0; pc < 12; pc++) dot += v[pc] * templates[s][pc];
                emission[i][s] = EMISSION_GAIN * dot / norm;
            }
        }
        int[] path = Viterbi.decode(emission, Math.log(SELF_TRANSITION),
                Math.log((1 - SELF_TRANSITION) / (ChordVocabulary.STATES - 1)));
        return segments(path, chroma);
    }

    private static ChordsResult segments(int[] path, Chroma chroma) {
        double duration = Math.max(chroma.duration(), 0);
        List<ChordsResult.Segment> segments = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= path.length; i++) {
            if (i < path.length && path[i] == path[start]) continue;
            // frame i covers [i - 1/2, i + 1/2) frame periods around its centre
            double from = start == 0 ? 0 : Math.min(duration, (start - 0.5) / chroma.frameRate());
            double to = i == path.length ? duration : Math.min(duration, (i - 0.5) / chroma.frameRate());
            if (to > from) segments.add(new ChordsResult.Segment(round(from), round(to), ChordVocabulary.label(path[start])));
            start = i;
        }
        return new ChordsResult(segments, summary(segments));
    }

    private static List<ChordsResult.Usage> summary(List<ChordsResult.Segment> segments) {
        Map<String, double[]> byLabel = new LinkedHashMap<>();
        for (ChordsResult.Segment s : segments) {
            if (s.label().equals("N")) continue;
            double[] acc = byLabel.computeIfAbsent(s.label(), k -> new double[2]);
            acc[0] += s.end() - s.start();
            acc[1]++;
        }
        return byLabel.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed())
                .limit(SUMMARY_SIZE)
                .map(e -> new ChordsResult.Usage(e.getKey(), round(e.getValue()[0]), (int) e.getValue()[1]))
                .toList();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
