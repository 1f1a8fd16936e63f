package io.tonearm.analysis.transcription;

import io.tonearm.analysis.testing.Matching;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Note-level precision, recall and F-measure "onset only" as mir_eval.transcription scores it with
 * {@code offset_ratio=None}: a detected note matches a reference note of the same pitch (within 50 cents, i.e.
 * the same MIDI number) whose onset is within ±50 ms, each note matched at most once. Per pitch the onsets are
 * points on a line, matched one-to-one by {@link Matching}.
 */
record NoteScores(int reference, int estimated, int matched) {

    static final double ONSET_TOLERANCE = 0.05;

    /** @param ref and @param est are [onset seconds, MIDI pitch] pairs */
    static NoteScores score(List<double[]> ref, List<double[]> est) {
        Map<Integer, List<Double>> r = byPitch(ref), e = byPitch(est);
        int matched = 0;
        for (Map.Entry<Integer, List<Double>> entry : r.entrySet()) {
            matched += Matching.count(entry.getValue(), e.getOrDefault(entry.getKey(), List.of()), ONSET_TOLERANCE);
        }
        return new NoteScores(ref.size(), est.size(), matched);
    }

    private static Map<Integer, List<Double>> byPitch(List<double[]> notes) {
        Map<Integer, List<Double>> m = new TreeMap<>();
        for (double[] n : notes) m.computeIfAbsent((int) Math.round(n[1]), k -> new ArrayList<>()).add(n[0]);
        m.values().forEach(l -> l.sort(null));
        return m;
    }

    double precision() {
        return estimated == 0 ? 0 : matched / (double) estimated;
    }

    double recall() {
        return reference == 0 ? 0 : matched / (double) reference;
    }

    double f() {
        double p = precision(), r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    @Override
    public String toString() {
        return String.format("F %.3f (P %.3f, R %.3f; %d matched of %d reference, %d estimated)", f(), precision(), recall(),
                matched, reference, estimated);
    }
}
