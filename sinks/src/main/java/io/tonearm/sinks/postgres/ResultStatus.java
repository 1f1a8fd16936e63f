package io.tonearm.sinks.postgres;

import java.util.Locale;

/** Outcome of one analyzer on one recording; stored in lower case. */
public enum ResultStatus {
    SUCCEEDED, FAILED;

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResultStatus fromSql(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
