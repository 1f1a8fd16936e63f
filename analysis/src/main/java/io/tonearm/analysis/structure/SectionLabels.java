package io.tonearm.analysis.structure;

import java.util.ArrayList;
import java.util.List;

/**
 * Labels segments by what they sound like: segments that repeat the same material share a letter. Each segment is
 * described by the mean of its frames' unit harmony and timbre vectors; the similarity of two segments is the mean
 * of the cosines of those means, which is the mean frame-to-frame similarity between the two segments normalised by
 * how homogeneous each is (so a varied chorus still matches its repeat). Segments are grouped by agglomerative
 * clustering with average linkage, merging while the closest two clusters are at least {@code threshold} alike;
 * letters follow first appearance (A, B, C, …, Z, AA, AB, …).
 */
final class SectionLabels {

    private SectionLabels() {
    }

    /**
     * @param bounds frame boundaries, first 0 and last {@code features.frames()}
     * @return one label per segment
     */
    static String[] label(StructureFeatures features, int[] bounds, double threshold) {
        int n = bounds.length - 1;
        double[][] harmony = new double[n][12], timbre = new double[n][MelCepstrum.COEFFICIENTS];
        for (int s = 0; s < n; s++) features.sum(bounds[s], bounds[s + 1], harmony[s], timbre[s]);
        double[][] sim = new double[n][n];
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) sim[p][q] = sim[q][p] = 0.5 * (cosine(harmony[p], harmony[q]) + cosine(timbre[p], timbre[q]));
        }
        List<List<Integer>> clusters = new ArrayList<>();
        for (int s = 0; s < n; s++) clusters.add(new ArrayList<>(List.of(s)));
        while (clusters.size() > 1) {
            int bestA = -1, bestB = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < clusters.size(); a++) {
                for (int b = a + 1; b < clusters.size(); b++) {
                    double link = averageLink(sim, clusters.get(a), clusters.get(b));
                    if (link > best) {
                        best = link;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            if (best < threshold) break;
            clusters.get(bestA).addAll(clusters.remove(bestB));
        }
        int[] cluster = new int[n];
        for (int c = 0; c < clusters.size(); c++) for (int s : clusters.get(c)) cluster[s] = c;
        String[] labels = new String[n];
        int[] letter = new int[clusters.size()];
        java.util.Arrays.fill(letter, -1);
        int next = 0;
        for (int s = 0; s < n; s++) {
            if (letter[cluster[s]] < 0) letter[cluster[s]] = next++;
            labels[s] = name(letter[cluster[s]]);
        }
        return labels;
    }

    static String name(int index) {
        String one = String.valueOf((char) ('A' + index % 26));
        return index < 26 ? one : name(index / 26 - 1) + one;
    }

    private static double averageLink(double[][] sim, List<Integer> a, List<Integer> b) {
        double sum = 0;
        for (int i : a) for (int j : b) sum += sim[i][j];
        return sum / (a.size() * (double) b.size());
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }
        return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
    }
}
