package io.tonearm.pipeline.analysis.coordinator;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a recording's requests wait for each other so that they share one decode: a client asking for bpm, key
 * and loudness sends three requests a moment apart. The wait ends when no further request came for {@code quiet},
 * and at the latest {@code longest} after the first: a lone request waits only {@code quiet}, a burst a little
 * longer than itself, never more than {@code longest}.
 *
 * @param quiet   a pause in a recording's requests this long ends the gathering; at least the gap the API's outbox
 *                relay can put between two requests of one burst (it publishes what committed when it polls)
 * @param longest the most a request waits for others; zero: every request is analyzed at once
 */
public record GatherWindow(Duration quiet, Duration longest) implements Serializable {

    public static final GatherWindow NONE = fixed(Duration.ZERO);

    public GatherWindow {
        Objects.requireNonNull(quiet, "quiet");
        Objects.requireNonNull(longest, "longest");
        if (quiet.isNegative() || longest.isNegative() || quiet.compareTo(longest) > 0) {
            throw new IllegalArgumentException("the gather window needs 0 <= quiet <= longest: " + quiet + ", " + longest);
        }
    }

    /** Always waits {@code window} after the first request, however quiet it gets. */
    public static GatherWindow fixed(Duration window) {
        return new GatherWindow(window, window);
    }

    boolean gathers() {
        return !longest.isZero();
    }

    /** When a request arriving {@code now} ends the gathering, given the first waiting request's arrival. */
    long endsAt(long now, long firstArrival) {
        return Math.min(now + quiet.toMillis(), firstArrival + longest.toMillis());
    }

    /** Whether a gathering that started at {@code firstArrival} can still be going on at {@code now}. */
    boolean open(long now, long firstArrival) {
        return now < firstArrival + longest.toMillis();
    }
}
