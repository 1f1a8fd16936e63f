package io.tonearm.sinks.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. Injected so tests (and operators with their own DNS) can decide what a
 * name means; the fetcher resolves through it exactly once per hop and connects only to what it returned.
 */
@FunctionalInterface
public interface HostResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (the operating system's, via {@code getaddrinfo}). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
