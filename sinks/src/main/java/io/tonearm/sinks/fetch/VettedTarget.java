package io.tonearm.sinks.fetch;

import java.net.InetAddress;
import java.util.List;

/**
 * A URL whose host has been resolved once and whose every address passed the policy. A connection made for
 * this target must go to one of {@link #addresses()} and nowhere else (that is what defeats DNS rebinding).
 */
public record VettedTarget(UrlTarget target, List<InetAddress> addresses) {
    public VettedTarget {
        addresses = List.copyOf(addresses);
    }
}
