package io.tonearm.launcher.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code --models} names {@code tonearm ingest} accepts and the processing endpoint each one asks. */
final class Models {

    /** What {@code --wait} requests when {@code --models} is not given: the standard set. */
    static final List<String> STANDARD = List.of("bpm", "key", "lufs", "beatgrid", "chords");

    private static final Map<String, String> ENDPOINTS = Map.of(
            "bpm", "bpm", "key", "key", "lufs", "lufs", "loudness-ebur128", "lufs", "key-bpm", "key-bpm",
            "beatgrid", "beatgrid", "chords", "chords", "pitch", "pitch");

    private Models() {
    }

    /**
     * The endpoints (e.g. {@code lufs}) for a comma-separated list of model names, in order, without repeats.
     *
     * @throws IllegalArgumentException naming the unknown models and the known ones
     */
    static List<String> endpoints(String csv) {
        Set<String> endpoints = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : csv.split(",")) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            String endpoint = ENDPOINTS.get(n);
            if (endpoint == null) {
                unknown.add(name.strip());
            } else {
                endpoints.add(endpoint);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown model" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (known: " + String.join(", ", new java.util.TreeSet<>(ENDPOINTS.keySet())) + ")");
        }
        return List.copyOf(endpoints);
    }
}
