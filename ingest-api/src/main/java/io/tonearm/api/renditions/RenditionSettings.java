package io.tonearm.api.renditions;

import java.time.Duration;

/**
 * How one replica makes renditions.
 *
 * @param workers renditions made at once (each runs one decode or one ffmpeg child: about one core)
 * @param budget  wall-clock limit for one rendition; past it the child is killed and the rendition fails
 * @param lease   how long a claimed rendition stays this replica's without renewal; after a crash another
 *                replica (or this one, restarted) takes it again once the lease has run out
 * @param poll    how often idle workers look for work another replica queued or a crash left behind
 */
public record RenditionSettings(int workers, Duration budget, Duration lease, Duration poll) {

    public RenditionSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1");
        }
        if (budget.isNegative() || budget.isZero() || lease.toMillis() < 1000 || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("budget and poll must be positive, lease at least 1 s");
        }
    }

    /** One worker, 20 minutes per rendition, a 60 s lease renewed every 20 s, a look for work every 10 s. */
    public static RenditionSettings defaults() {
        return new RenditionSettings(1, Duration.ofMinutes(20), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }
}
