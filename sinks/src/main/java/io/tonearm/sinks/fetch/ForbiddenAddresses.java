package io.tonearm.sinks.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Classifies an address as non-public, with a human reason. The table follows the IANA special-purpose
 * registries (RFC 6890 and updates): everything that is not globally reachable unicast is refused.
 * IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}) are judged by the IPv4 address they carry, so {@code ::ffff:127.0.0.1} is loopback.
 */
final class ForbiddenAddresses {
    private record Range(CidrBlock block, String reason) {
        static Range of(String cidr, String reason) {
            return new Range(CidrBlock.parse(cidr), reason);
        }
    }

    private static final List<Range> IPV4 = List.of(
            Range.of("0.0.0.0/8", "an unspecified (\"this network\") address"),
            Range.of("10.0.0.0/8", "a private address"),
            Range.of("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
            Range.of("127.0.0.0/8", "a loopback address"),
            Range.of("169.254.0.0/16", "a link-local address (cloud metadata lives here)"),
            Range.of("172.16.0.0/12", "a private address"),
            Range.of("192.0.0.0/24", "an IETF protocol-assignment address"),
            Range.of("192.0.2.0/24", "a documentation address"),
            Range.of("192.88.99.0/24", "a 6to4 relay anycast address"),
            Range.of("192.168.0.0/16", "a private address"),
            Range.of("198.18.0.0/15", "a benchmarking address"),
            Range.of("198.51.100.0/24", "a documentation address"),
            Range.of("203.0.113.0/24", "a documentation address"),
            Range.of("224.0.0.0/4", "a multicast address"),
            Range.of("255.255.255.255/32", "the broadcast address"),
            Range.of("240.0.0.0/4", "a reserved address"));

    private static final List<Range> IPV6 = List.of(
            Range.of("::/128", "an unspecified address"),
            Range.of("::1/128", "a loopback address"),
            Range.of("64:ff9b:1::/48", "a local-use NAT64 address"),
            Range.of("100::/64", "a discard-only address"),
            Range.of("2001::/32", "a Teredo tunnel address"),
            Range.of("2001:db8::/32", "a documentation address"),
            Range.of("2001::/23", "an IETF protocol-assignment address"),
            Range.of("fc00::/7", "a private (unique local) address"),
            Range.of("fe80::/10", "a link-local address"),
            Range.of("fec0::/10", "a site-local address"),
            Range.of("ff00::/8", "a multicast address"));

    private static final CidrBlock IPV4_COMPATIBLE = CidrBlock.parse("::/96");
    private static final CidrBlock NAT64 = CidrBlock.parse("64:ff9b::/96");
    private static final CidrBlock SIX_TO_FOUR = CidrBlock.parse("2002::/16");

    private ForbiddenAddresses() {
    }

    /** Why {@code address} must not be contacted, or empty when it is public. */
    static Optional<String> reason(InetAddress address) {
        if (address instanceof Inet4Address) {
            return firstMatch(IPV4, address);
        }
        if (!(address instanceof Inet6Address)) {
            return Optional.of("an unknown kind of address");
        }
        Optional<String> direct = firstMatch(IPV6, address);
        if (direct.isPresent()) {
            return direct;
        }
        byte[] b = address.getAddress();
        if (isIpv4Mapped(b) || IPV4_COMPATIBLE.contains(address) || NAT64.contains(address)) {
            return embedded(b, 12, "IPv6 form of ");
        }
        if (SIX_TO_FOUR.contains(address)) {
            return embedded(b, 2, "6to4 form of ");
        }
        return Optional.empty();
    }

    /**
     * {@code ::ffff:a.b.c.d}. Tested on bytes: the JDK turns this text into an Inet4Address, but an
     * {@code Inet6Address} built from bytes (as a custom resolver may) keeps the mapped form.
     */
    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    private static Optional<String> embedded(byte[] v6, int offset, String prefix) {
        try {
            byte[] v4 = {v6[offset], v6[offset + 1], v6[offset + 2], v6[offset + 3]};
            return firstMatch(IPV4, InetAddress.getByAddress(v4)).map(r -> prefix + r);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> firstMatch(List<Range> ranges, InetAddress address) {
        for (Range r : ranges) {
            if (r.block().contains(address)) {
                return Optional.of(r.reason());
            }
        }
        return Optional.empty();
    }
}
