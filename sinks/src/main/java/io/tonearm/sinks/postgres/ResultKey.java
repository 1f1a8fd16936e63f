package io.tonearm.sinks.postgres;

/** The text form {@code analyzer@version#paramsHash} of a result's identity within one recording. */
public final class ResultKey {

    private ResultKey() {
    }

    public static String of(String analyzer, int version, String paramsHash) {
        return analyzer + "@" + version + "#" + paramsHash;
    }
}
