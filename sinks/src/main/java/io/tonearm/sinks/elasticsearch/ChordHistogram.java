package io.tonearm.sinks.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Share of time spent in each major and minor triad: 24 bins, {@code root} for {@code root:maj} and
 * {@code 12 + root} for {@code root:min} (roots as pitch classes, C = 0). Other qualities count as their
 * closest triad by the third ({@code maj7}, {@code 7} → major; {@code min7} → minor); {@code N}, {@code X} and
 * unparseable labels are left out. The bins sum to 1, or are all 0 when no triad was found.
 */
final class ChordHistogram {
    static final int BINS = 24;

    private ChordHistogram() {
    }

    /**
     * From the chords result: the {@code chords[{start,end,label}]} segments, else the {@code summary[{label,
     * duration}]}; null when neither holds a triad.
     */
    static float[] of(JsonNode chordsResult) {
        float[] bins = new float[BINS];
        JsonNode segments = chordsResult.path("chords");
        if (segments.isArray() && !segments.isEmpty()) {
            for (JsonNode s : segments) {
                add(bins, s.path("label").asText(null), s.path("end").asDouble(0) - s.path("start").asDouble(0));
            }
        } else {
            for (JsonNode u : chordsResult.path("summary")) {
                add(bins, u.path("label").asText(null), u.path("duration").asDouble(0));
            }
        }
        return normalise(bins);
    }

    /** The bin of a Harte label, or -1 for no chord / not a triad-like chord. */
    static int bin(String label) {
        if (label == null || label.isEmpty() || label.equals("N") || label.equals("X")) {
            return -1;
        }
        int colon = label.indexOf(':');
        String rootName = colon < 0 ? label : label.substring(0, colon);
        String quality = colon < 0 ? "maj" : label.substring(colon + 1);
        int slash = quality.indexOf('/');
        if (slash >= 0) {
            quality = quality.substring(0, slash);
        }
        int root = PitchClass.of(rootName);
        if (root < 0) {
            return -1;
        }
        if (quality.startsWith("min") || quality.equals("m")) {
            return 12 + root;
        }
        if (quality.startsWith("maj") || quality.equals("7") || quality.equals("9") || quality.isEmpty()) {
            return root;
        }
        return -1; // dim, aug, sus…: no major/minor third to count
    }

    private static void add(float[] bins, String label, double seconds) {
        int bin = bin(label);
        if (bin >= 0 && seconds > 0 && Double.isFinite(seconds)) {
            bins[bin] += (float) seconds;
        }
    }

    private static float[] normalise(float[] bins) {
        double sum = 0;
        for (float b : bins) {
            sum += b;
        }
        if (sum <= 0) {
            return null;
        }
        for (int i = 0; i < bins.length; i++) {
            bins[i] = (float) (bins[i] / sum);
        }
        return bins;
    }
}
