package io.tonearm.analysis.structure;

import io.tonearm.analysis.rhythm.PeakPicker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Boundaries and labels from the {@link StructureFeatures} of a recording: Foote novelty ({@link FooteNovelty}),
 * normalised to its maximum, then peaks that are local maxima within half the minimum section length on either
 * side and stand {@value #DELTA} above the novelty's mean over ±2 kernel widths ({@link PeakPicker}, the onset
 * picker reused on a coarser curve). Peaks are then accepted strongest first while every section stays at least
 * the minimum length (also against the recording's start and end), and labelled by {@link SectionLabels}.
 */
final class SectionFinder {

    static final double DELTA = 0.05;

    /** @param minSeconds shortest section; @param kernelSeconds half-width of the novelty kernel */
    record Settings(double minSeconds, double kernelSeconds, double labelThreshold) {
    }

    private SectionFinder() {
    }

    static List<Section> find(StructureFeatures features, Settings settings) {
        int n = features.frames();
        double duration = features.duration();
        if (n == 0) return List.of();
        double dt = features.frameSeconds();
        int minFrames = Math.max(1, (int) Math.round(settings.minSeconds() / dt));
        int half = Math.max(2, (int) Math.round(settings.kernelSeconds() / dt));
        float[] novelty = PeakPicker.normalized(FooteNovelty.curve(features, half));
        int reach = Math.max(1, minFrames / 2);
        int[] peaks = new PeakPicker(reach, reach, 2 * half, 2 * half, DELTA, 0).pick(novelty);
        int[] bounds = accept(peaks, novelty, n, minFrames);
        String[] labels = SectionLabels.label(features, bounds, settings.labelThreshold());
        List<Section> sections = new ArrayList<>();
        for (int s = 0; s + 1 < bounds.length; s++) {
            double start = s == 0 ? 0 : features.time(bounds[s]);
            double end = s + 2 == bounds.length ? duration : features.time(bounds[s + 1]);
            double in = s == 0 ? 1 : novelty[bounds[s]], out = s + 2 == bounds.length ? 1 : novelty[bounds[s + 1]];
            sections.add(new Section(round3(start), round3(end), labels[s], round3(0.5 * (in + out))));
        }
        return sections;
    }

    /** Strongest peaks first, each kept only if it leaves ≥ minFrames to every kept boundary and to both ends. */
    private static int[] accept(int[] peaks, float[] novelty, int n, int minFrames) {
        Integer[] order = new Integer[peaks.length];
        for (int i = 0; i < order.length; i++) order[i] = peaks[i];
        Arrays.sort(order, (a, b) -> Float.compare(novelty[b], novelty[a]));
        List<Integer> kept = new ArrayList<>(List.of(0, n));
        for (int p : order) {
            boolean fits = true;
            for (int k : kept) fits &= Math.abs(p - k) >= minFrames;
            if (fits) kept.add(p);
        }
        return kept.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
