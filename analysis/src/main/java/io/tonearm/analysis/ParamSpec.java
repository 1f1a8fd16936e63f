package io.tonearm.analysis;

import java.util.List;

/**
 * One declared parameter: its type, default, allowed range and a doc string (the Essentia way: one declaration
 * drives validation, documentation and identity). A null default means the parameter is optional and absent.
 * A {@code local} parameter names something on this machine (a file path the pipeline fills in from a parameter
 * that is part of the identity): it is left out of {@link Params#hash()} and {@link Params#asMap()}.
 */
public record ParamSpec(String name, Type type, Object defaultValue, Double min, Double max, List<String> choices, String doc,
                        boolean local) {

    public ParamSpec(String name, Type type, Object defaultValue, Double min, Double max, List<String> choices, String doc) {
        this(name, type, defaultValue, min, max, List.copyOf(choices), doc, false);
    }

    public enum Type { NUMBER, INTEGER, BOOLEAN, STRING }

    public static ParamSpec number(String name, Double defaultValue, double min, double max, String doc) {
        return new ParamSpec(name, Type.NUMBER, defaultValue, min, max, List.of(), doc);
    }

    public static ParamSpec integer(String name, Integer defaultValue, int min, int max, String doc) {
        return new ParamSpec(name, Type.INTEGER, defaultValue, (double) min, (double) max, List.of(), doc);
    }

    public static ParamSpec bool(String name, boolean defaultValue, String doc) {
        return new ParamSpec(name, Type.BOOLEAN, defaultValue, null, null, List.of(), doc);
    }

    public static ParamSpec choice(String name, String defaultValue, List<String> choices, String doc) {
        return new ParamSpec(name, Type.STRING, defaultValue, null, null, List.copyOf(choices), doc);
    }

    /** Optional free text (no default), e.g. a content hash the pipeline resolves. */
    public static ParamSpec text(String name, String doc) {
        return new ParamSpec(name, Type.STRING, null, null, null, List.of(), doc);
    }

    /** An optional local file path: not part of the result's identity (see the class comment). */
    public static ParamSpec localPath(String name, String doc) {
        return new ParamSpec(name, Type.STRING, null, null, null, List.of(), doc, true);
    }

    /** Converts and checks a raw value (from JSON or the command line); throws {@link IllegalArgumentException}. */
    Object validate(Object raw) {
        Object value = switch (type) {
            case NUMBER -> toDouble(raw);
            case INTEGER -> toInteger(raw);
            case BOOLEAN -> toBoolean(raw);
            case STRING -> raw.toString();
        };
        if (value instanceof Number n && (min != null && n.doubleValue() < min || max != null && n.doubleValue() > max)) {
            throw new IllegalArgumentException(name + " must be between " + fmt(min) + " and " + fmt(max) + ", got " + raw);
        }
        if (!choices.isEmpty() && !choices.contains(value)) {
            throw new IllegalArgumentException(name + " must be one of " + choices + ", got " + raw);
        }
        return value;
    }

    private Double toDouble(Object raw) {
        if (raw instanceof Number n) return n.doubleValue();
        try {
            double d = Double.parseDouble(raw.toString().trim());
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got " + raw);
        }
    }

    private Integer toInteger(Object raw) {
        double d = toDouble(raw);
        if (d != Math.rint(d)) throw new IllegalArgumentException(name + " must be a whole number, got " + raw);
        return (int) d;
    }

    private Boolean toBoolean(Object raw) {
        if (raw instanceof Boolean b) return b;
        String s = raw.toString().trim().toLowerCase();
        if (s.equals("true")) return true;
        if (s.equals("false")) return false;
        throw new IllegalArgumentException(name + " must be true or false, got " + raw);
    }

    private static String fmt(Double d) {
        return d == null ? "-inf" : d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }
}
