package io.tonearm.pipeline;

/** The jobs' {@code main} arguments: positional, where an empty or absent optional one means "not given". */
public final class JobArguments {

    private JobArguments() {
    }

    /** Argument {@code i}, or null when it is absent or empty (a password passed as "" by a manifest). */
    public static String optional(String[] args, int i) {
        return args.length > i && !args[i].isEmpty() ? args[i] : null;
    }
}
