package io.tonearm.sinks.accounts;

import java.time.Duration;
import java.util.Locale;

/** What an account pays for. Assets expire per plan; request and upload limits come from {@link PlanLimits}. */
public enum Plan {
    BASIC(Duration.ofHours(24)),
    PRO(Duration.ofDays(7));

    private final Duration assetRetention;

    Plan(Duration assetRetention) {
        this.assetRetention = assetRetention;
    }

    public Duration assetRetention() {
        return assetRetention;
    }

    /** The name stored in the database and shown to clients. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Plan of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
