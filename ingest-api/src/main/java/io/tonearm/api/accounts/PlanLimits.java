package io.tonearm.api.accounts;

import java.time.Duration;

/**
 * Limits of one plan.
 *
 * @param requestsPerWindow requests one API key may make per window
 * @param window            the fixed rate-limit window
 * @param maxUploadBytes    largest accepted upload
 */
public record PlanLimits(int requestsPerWindow, Duration window, long maxUploadBytes) {

    public PlanLimits {
        if (requestsPerWindow < 1 || window.toSeconds() < 1 || maxUploadBytes < 1) {
            throw new IllegalArgumentException("limits must be positive (window at least 1 s): " + requestsPerWindow
                    + ", " + window + ", " + maxUploadBytes);
        }
    }
}
