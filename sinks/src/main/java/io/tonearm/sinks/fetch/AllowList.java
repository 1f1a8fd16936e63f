package io.tonearm.sinks.fetch;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Operator exceptions to the public-address rule, e.g. a MinIO on the private network or a test server on
 * 127.0.0.1. Entries, each optionally restricted to one port:
 * <ul>
 *   <li>an address or CIDR block: {@code 127.0.0.1}, {@code 127.0.0.1:8080}, {@code 10.0.0.0/8}, {@code ::1},
 *       {@code [::1]:8080}, {@code [fd00::/8]:9000};</li>
 *   <li>a host name: {@code minio.internal:9000} permits that exact name (whatever it resolves to) and also
 *       lifts the reserved-name rule for it.</li>
 * </ul>
 * The allow-list never changes the scheme rule (http/https only) or the URL syntax rules.
 */
public final class AllowList {
    private record Rule(CidrBlock block, String host, OptionalInt port) {
        boolean portMatches(int p) {
            return port.isEmpty() || port.getAsInt() == p;
        }
    }

    private static final AllowList EMPTY = new AllowList(List.of());
    private final List<Rule> rules;

    private AllowList(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static AllowList none() {
        return EMPTY;
    }

    /** Parses entries as described in the class comment; throws IllegalArgumentException naming a bad entry. */
    public static AllowList of(List<String> entries) {
        List<Rule> rules = new ArrayList<>();
        for (String entry : entries) {
            rules.add(parse(entry.trim()));
        }
        return new AllowList(rules);
    }

    public static AllowList of(String... entries) {
        return of(List.of(entries));
    }

    /** Whether {@code address} reached through {@code host}:{@code port} is allowed despite not being public. */
    boolean permitsAddress(String host, InetAddress address, int port) {
        for (Rule r : rules) {
            if (r.portMatches(port) && (r.block() != null ? r.block().contains(address) : r.host().equals(host))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the reserved-name rule (localhost, metadata names...) is lifted for {@code host}:{@code port}. */
    boolean permitsHostName(String host, int port) {
        for (Rule r : rules) {
            if (r.block() == null && r.portMatches(port) && r.host().equals(host)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    private static Rule parse(String entry) {
        String target = entry;
        OptionalInt port = OptionalInt.empty();
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("allow-list entry has no closing ']': " + entry);
            }
            target = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                port = parsePort(rest.startsWith(":") ? rest.substring(1) : rest, entry);
            }
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') >= 0) {
            int colon = entry.indexOf(':');
            target = entry.substring(0, colon);
            port = parsePort(entry.substring(colon + 1), entry);
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("empty allow-list entry: " + entry);
        }
        if (target.contains("/") || IpLiterals.parse(target).isPresent()) {
            return new Rule(CidrBlock.parse(target), null, port);
        }
        if (IpLiterals.looksNumeric(target)) {
            throw new IllegalArgumentException("allow-list entry is an ambiguous IP spelling: " + entry);
        }
        return new Rule(null, target.toLowerCase(Locale.ROOT), port);
    }

    private static OptionalInt parsePort(String text, String entry) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range in allow-list entry: " + entry);
            }
            return OptionalInt.of(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in allow-list entry: " + entry);
        }
    }
}
