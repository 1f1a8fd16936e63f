package io.tonearm.api.stream;

import java.time.Duration;

/**
 * Limits of the on-demand stream on one replica.
 *
 * @param workers       recordings analyzed at once (each uses one core while it runs)
 * @param queueCapacity requests that may wait for a worker; beyond it the answer is 503 with Retry-After
 * @param timeBudget    wall-clock limit for one recording's decode and analysis; past it the stream ends with
 *                      an error event
 * @param heartbeat     silence after which a comment line keeps proxies and idle timeouts from closing the stream
 */
public record StreamSettings(int workers, int queueCapacity, Duration timeBudget, Duration heartbeat) {

    public StreamSettings {
        if (workers < 1 || queueCapacity < 0 || timeBudget.isNegative() || timeBudget.isZero()
                || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("workers >= 1, queueCapacity >= 0, positive durations: " + workers
                    + ", " + queueCapacity + ", " + timeBudget + ", " + heartbeat);
        }
    }

    /** Half the cores (the API serves other requests too), 16 waiting, 5 minutes, a heartbeat every 10 s. */
    public static StreamSettings defaults() {
        return new StreamSettings(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 16,
                Duration.ofMinutes(5), Duration.ofSeconds(10));
    }
}
