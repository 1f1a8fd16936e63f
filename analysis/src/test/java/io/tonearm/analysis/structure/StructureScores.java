package io.tonearm.analysis.structure;

import java.util.ArrayList;
import java.util.List;

/**
 * The MIREX structural segmentation measures, as mir_eval computes them: boundary hit rate (F-measure of interior
 * boundaries matched one-to-one within ±tolerance; mir_eval {@code segment.detection} with {@code trim=True}) and
 * pairwise frame clustering F (Levy &amp; Sandler 2008; mir_eval {@code segment.pairwise}, 0.1 s frames).
 */
final class StructureScores {

    private StructureScores() {
    }

    record Score(double precision, double recall, double f) {
        @Override
        public String toString() {
            return String.format("F %.3f (P %.3f, R %.3f)", f, precision, recall);
        }
    }

    /** Greedy one-to-one matching of nearest pairs (equal to maximum matching for well-separated boundaries). */
    static Score boundaries(List<Double> reference, List<Double> estimated, double tolerance) {
        List<Double> free = new ArrayList<>(estimated);
        int hits = 0;
        for (double r : reference) {
            int best = -1;
            for (int i = 0; i < free.size(); i++) {
                if (Math.abs(free.get(i) - r) <= tolerance && (best < 0 || Math.abs(free.get(i) - r) < Math.abs(free.get(best) - r))) best = i;
            }
            if (best >= 0) {
                hits++;
                free.remove(best);
            }
        }
        return score(hits, estimated.size(), reference.size());
    }

    /** Pairwise F over frames: a pair of frames agrees when both label sequences say same/different alike. */
    static Score pairwise(List<Double> refBounds, List<String> refLabels, List<Double> estBounds, List<String> estLabels,
                          double duration) {
        int n = (int) Math.floor(duration / 0.1);
        int[] ref = frameLabels(refBounds, refLabels, n), est = frameLabels(estBounds, estLabels, n);
        long both = 0, inRef = 0, inEst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean r = ref[i] == ref[j], e = est[i] == est[j];
                if (r) inRef++;
                if (e) inEst++;
                if (r && e) both++;
            }
        }
        return score(both, inEst, inRef);
    }

    /** Interior boundaries of sections. */
    static List<Double> interior(List<Section> sections) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < sections.size(); i++) out.add(sections.get(i).start());
        return out;
    }

    private static int[] frameLabels(List<Double> bounds, List<String> labels, int n) {
        List<String> names = new ArrayList<>();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double t = (i + 0.5) * 0.1;
            int s = 0;
            while (s < bounds.size() && bounds.get(s) <= t) s++;
            String label = labels.get(s);
            if (!names.contains(label)) names.add(label);
            out[i] = names.indexOf(label);
        }
        return out;
    }

    private static Score score(long hits, long estimated, long reference) {
        double p = estimated == 0 ? 0 : hits / (double) estimated, r = reference == 0 ? 0 : hits / (double) reference;
        return new Score(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }
}
