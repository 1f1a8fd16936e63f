package io.tonearm.analysis.separation;

import java.util.List;

/**
 * The stems an analyzer delivers, in the order separators write them. The last one is the residual: what the
 * others do not take ({@code instrumental}, {@code other}), so the stems always sum back to the mix.
 */
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

    /** Index of the residual stem, the last. */
    public int residual() {
        return names.size() - 1;
    }
}
