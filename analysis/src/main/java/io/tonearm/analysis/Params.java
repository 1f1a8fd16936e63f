package io.tonearm.analysis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validated parameter values for one analyzer, defaults filled in. Two requests that differ only in spelling
 * a default explicitly have the same {@link #hash()}, so they share one stored result.
 */
public final class Params {

    private final Map<String, Object> values;
    private final Map<String, Object> local;

    private Params(Map<String, Object> values, Map<String, Object> local) {
        this.values = Collections.unmodifiableMap(values);
        this.local = Collections.unmodifiableMap(local);
    }

    /** Validates raw values against the spec; unknown names and bad values throw {@link IllegalArgumentException}. */
    public static Params of(AnalyzerSpec spec, Map<String, ?> raw) {
        Map<String, Object> values = new TreeMap<>();
        Map<String, ParamSpec> declared = new LinkedHashMap<>();
        for (ParamSpec p : spec.params()) declared.put(p.name(), p);
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            ParamSpec p = declared.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException(spec.name() + " has no parameter '" + e.getKey() + "'; it takes "
                        + (declared.isEmpty() ? "none" : declared.keySet()));
            }
            if (e.getValue() != null) values.put(p.name(), p.validate(e.getValue()));
        }
        for (ParamSpec p : declared.values()) {
            if (!values.containsKey(p.name()) && p.defaultValue() != null) values.put(p.name(), p.defaultValue());
        }
        Map<String, Object> local = new TreeMap<>();
        for (ParamSpec p : declared.values()) {
            if (p.local() && values.containsKey(p.name())) local.put(p.name(), values.remove(p.name()));
        }
        return new Params(values, local);
    }

    /**
     * These values plus a local parameter ({@link ParamSpec#local()}), e.g. the path the pipeline resolved a
     * reference to; identity ({@link #hash()}) and {@link #asMap()} stay as they were.
     */
    public Params withLocal(String name, String value) {
        Map<String, Object> more = new TreeMap<>(local);
        more.put(name, value);
        return new Params(new TreeMap<>(values), more);
    }

    public static Params defaults(AnalyzerSpec spec) {
        return of(spec, Map.of());
    }

    /** The values that make the result's identity (local ones left out). */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name) || local.containsKey(name);
    }

    public double number(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public int integer(String name) {
        return ((Number) require(name)).intValue();
    }

    public boolean bool(String name) {
        return (Boolean) require(name);
    }

    public String string(String name) {
        return require(name).toString();
    }

    private Object require(String name) {
        Object v = values.containsKey(name) ? values.get(name) : local.get(name);
        if (v == null) throw new IllegalStateException("parameter " + name + " has no value");
        return v;
    }

    /** Canonical text of the values (sorted keys), the input to {@link #hash()}. */
    public String canonical() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append('=').append(v));
        return sb.append('}').toString();
    }

    /** First 16 hex digits of SHA-256 over {@link #canonical()}: part of a stored result's identity. */
    public String hash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && p.values.equals(values) && p.local.equals(local);
    }

    @Override
    public int hashCode() {
        return values.hashCode() * 31 + local.hashCode();
    }

    @Override
    public String toString() {
        return canonical();
    }
}
