package io.tonearm.sinks.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

/**
 * A syntactically acceptable http(s) URL taken apart: lower-case scheme and host (IPv6 without brackets),
 * the effective port, and the address when the host is an IP literal.
 */
public record UrlTarget(URI uri, String scheme, String host, int port, Optional<InetAddress> literal) {
    public boolean isHttps() {
        return scheme.equals("https");
    }

    /** {@code host:port} as a human reads it, IPv6 in brackets. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
