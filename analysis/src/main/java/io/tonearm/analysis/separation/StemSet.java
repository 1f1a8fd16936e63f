package io.tonearm.analysis.separation;

import java.util.List;

/** The stems an analyzer delivers, in the order separators write them. */
public enum StemSet {
    TWO(List.of("vocals", "instrumental")),
    FOUR(List.of("drums", "bass", "vocals", "other"));

    private final List<String> names;

    StemSet(List<String> names) {
        this.names = names;
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }
}
