package io.tonearm.analysis;

import java.util.List;
import java.util.Objects;

/**
 * What an analyzer says about itself. The version is bumped whenever the method or its defaults change in a
 * way that changes results: stored results are keyed by (sha256, name, version, params hash).
 */
public record AnalyzerSpec(String name, int version, String description, List<String> aliases, List<ParamSpec> params) {

    public AnalyzerSpec {
        Objects.requireNonNull(name, "name");
        if (version < 1) throw new IllegalArgumentException("version must be >= 1: " + version);
        aliases = List.copyOf(aliases);
        params = List.copyOf(params);
    }

    public static AnalyzerSpec of(String name, int version, String description) {
        return new AnalyzerSpec(name, version, description, List.of(), List.of());
    }

    public AnalyzerSpec withAliases(String... names) {
        return new AnalyzerSpec(name, version, description, List.of(names), params);
    }

    public AnalyzerSpec withParams(ParamSpec... specs) {
        return new AnalyzerSpec(name, version, description, aliases, List.of(specs));
    }
}
