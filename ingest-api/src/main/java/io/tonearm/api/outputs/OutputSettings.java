package io.tonearm.api.outputs;

import java.time.Duration;
import java.util.Objects;

/**
 * How long job outputs stay downloadable and how long one download link lives.
 *
 * @param retention how long after its job finished an output can be downloaded (its blob is kept that long, then
 *                  the reaper frees it unless an asset or a younger job still uses the same bytes); later: 410
 * @param linkTtl   lifetime of one signed link; {@code GET /v1/jobs/{id}} hands out a fresh one on every read
 */
public record OutputSettings(Duration retention, Duration linkTtl) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_LINK_TTL = Duration.ofHours(1);

    public OutputSettings {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(linkTtl, "linkTtl");
        if (retention.isNegative() || linkTtl.isNegative() || linkTtl.isZero()) {
            throw new IllegalArgumentException("output retention and link lifetime must be positive");
        }
    }

    /**
     * {@code TONEARM_OUTPUT_RETENTION_HOURS} (default 168 = 7 days) and {@code TONEARM_OUTPUT_LINK_MINUTES}
     * (default 60), or the system properties {@code tonearm.outputs.retention-hours}, {@code tonearm.outputs.link-minutes}.
     */
    public static OutputSettings configured() {
        return new OutputSettings(
                Duration.ofMinutes(Math.round(60 * number("tonearm.outputs.retention-hours", "TONEARM_OUTPUT_RETENTION_HOURS",
                        DEFAULT_RETENTION.toHours()))),
                Duration.ofSeconds(Math.round(60 * number("tonearm.outputs.link-minutes", "TONEARM_OUTPUT_LINK_MINUTES",
                        DEFAULT_LINK_TTL.toMinutes()))));
    }

    private static double number(String property, String env, double fallback) {
        String v = System.getProperty(property, System.getenv(env));
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(env + " must be a number: " + v);
        }
    }
}
