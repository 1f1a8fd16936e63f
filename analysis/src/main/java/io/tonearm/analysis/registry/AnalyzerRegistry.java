package io.tonearm.analysis.registry;

import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every analyzer by name and version, with aliases. Understands the streaming seed's selector syntax
 * {@code key:1,bpm_degara,loudness-ebur128}: comma-separated names, each optionally {@code :version}; without a
 * version the newest registered version is used. Unknown names or versions fail with a message that lists
 * what exists.
 */
public final class AnalyzerRegistry {

    private final Map<String, TreeMap<Integer, Analyzer<?>>> byName = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    public AnalyzerRegistry register(Analyzer<?> analyzer) {
        AnalyzerSpec spec = analyzer.spec();
        String name = normalize(spec.name());
        if (aliases.containsKey(name)) throw new IllegalStateException(name + " is already an alias of " + aliases.get(name));
        Analyzer<?> previous = byName.computeIfAbsent(name, k -> new TreeMap<>()).putIfAbsent(spec.version(), analyzer);
        if (previous != null) throw new IllegalStateException(name + ":" + spec.version() + " is registered twice");
        for (String alias : spec.aliases()) {
            String a = normalize(alias);
            String owner = aliases.putIfAbsent(a, name);
            if (owner != null && !owner.equals(name) || byName.containsKey(a)) {
                throw new IllegalStateException("alias " + a + " is already taken");
            }
        }
        return this;
    }

    /** Parses a selector list such as {@code key:1,bpm_degara,loudness-ebur128} into selections with default parameters. */
    public List<Selection> parse(String selectors) {
        if (selectors == null || selectors.isBlank()) throw new UnknownModelException("no models given; available: " + available());
        List<Selection> out = new ArrayList<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (String item : selectors.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) continue;
            Selection sel = select(s, Map.of());
            if (seen.add(sel.key())) out.add(sel);
        }
        if (out.isEmpty()) throw new UnknownModelException("no models given; available: " + available());
        return out;
    }

    /** One selector ({@code name} or {@code name:version}) with raw parameter values, validated. */
    public Selection select(String selector, Map<String, ?> rawParams) {
        String s = selector.trim();
        int colon = s.indexOf(':');
        String requested = normalize(colon < 0 ? s : s.substring(0, colon));
        Integer version = null;
        if (colon >= 0) {
            String v = s.substring(colon + 1).trim();
            try {
                version = Integer.valueOf(v);
            } catch (NumberFormatException e) {
                throw new UnknownModelException("bad version '" + v + "' in '" + s + "'; available: " + available());
            }
        }
        String name = aliases.getOrDefault(requested, requested);
        TreeMap<Integer, Analyzer<?>> versions = byName.get(name);
        if (versions == null) throw new UnknownModelException("unknown model '" + requested + "'; available: " + available());
        Analyzer<?> analyzer = version == null ? versions.lastEntry().getValue() : versions.get(version);
        if (analyzer == null) {
            throw new UnknownModelException("unknown version " + version + " of " + name + "; available versions: "
                    + versions.keySet().stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
        return new Selection(requested, analyzer, Params.of(analyzer.spec(), rawParams));
    }

    /** Every registered analyzer's spec, newest version of each name first, sorted by name. */
    public List<AnalyzerSpec> specs() {
        return byName.values().stream().flatMap(v -> v.descendingMap().values().stream())
                .map(Analyzer::spec).sorted(Comparator.comparing(AnalyzerSpec::name)).toList();
    }

    public Collection<String> names() {
        return byName.keySet();
    }

    /** Human list of names, versions and aliases, for error messages. */
    public String available() {
        return byName.entrySet().stream().map(e -> {
            String versions = e.getValue().keySet().stream().map(String::valueOf).collect(Collectors.joining("|"));
            List<String> al = aliases.entrySet().stream().filter(a -> a.getValue().equals(e.getKey())).map(Map.Entry::getKey).toList();
            return e.getKey() + ":" + versions + (al.isEmpty() ? "" : " (alias " + String.join(", ", al) + ")");
        }).collect(Collectors.joining(", "));
    }

    private static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
