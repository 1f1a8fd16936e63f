package io.tonearm.sinks.fetch;

import static io.tonearm.sinks.fetch.UrlImportError.BAD_URL;
import static io.tonearm.sinks.fetch.UrlImportError.URL_FORBIDDEN;
import static io.tonearm.sinks.fetch.UrlImportError.URL_UNREACHABLE;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a client-supplied URL may be contacted: http/https only, no userinfo, no ambiguous IP
 * spellings, no reserved host names, and every address the host resolves to must be public (see
 * {@link ForbiddenAddresses}) unless the operator's {@link AllowList} permits it.
 *
 * <p>{@link #check(URI)} is what webhook registration calls. Fetching goes through {@link SafeUrlFetcher}, which
 * applies the same checks to every redirect hop and connects only to the addresses this policy vetted.
 * Thread-safe and immutable.
 */
public final class UrlPolicy {
    /** Names that reach cloud metadata services or the local machine on common platforms. */
    private static final Set<String> RESERVED_NAMES = Set.of(
            "localhost", "metadata", "metadata.google.internal", "metadata.goog", "instance-data",
            "instance-data.ec2.internal", "metadata.azure.internal", "kubernetes.default",
            "kubernetes.default.svc");
    /** Suffixes that are local by definition (RFC 6761 localhost, mDNS .local, ICANN's private-use .internal). */
    private static final List<String> RESERVED_SUFFIXES = List.of(
            ".localhost", ".local", ".localdomain", ".internal", ".home.arpa", ".in-addr.arpa", ".ip6.arpa");

    private final AllowList allowList;
    private final HostResolver resolver;
    private final Set<Integer> allowedPorts;

    private UrlPolicy(Builder b) {
        this.allowList = b.allowList;
        this.resolver = b.resolver;
        this.allowedPorts = Set.copyOf(b.allowedPorts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Public hosts only, system DNS, any port. */
    public static UrlPolicy publicOnly() {
        return builder().build();
    }

    /** Parses a client's URL string; a syntax error becomes {@code bad_url}. */
    public static URI parseUri(String text) {
        if (text == null || text.isBlank()) {
            throw new UrlImportException(BAD_URL, "the URL is empty");
        }
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new UrlImportException(BAD_URL, "not a valid URL: " + e.getReason());
        }
    }

    /** Syntax, scheme, port and reserved-name checks; no DNS. */
    public UrlTarget parse(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UrlImportException(BAD_URL,
                    "only http and https URLs can be fetched" + (scheme.isEmpty() ? "" : ", not " + scheme + ":"));
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw new UrlImportException(BAD_URL, "the URL has no host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
            throw new UrlImportException(BAD_URL, "URLs with a user name or password are not accepted");
        }
        String rawHost = uri.getHost();
        if (rawHost == null || rawHost.isEmpty()) {
            throw new UrlImportException(BAD_URL,
                    "the URL's host is not a valid host name (international names must be given in punycode)");
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new UrlImportException(BAD_URL, "port " + port + " is out of range");
        }
        if (!allowedPorts.isEmpty() && !allowedPorts.contains(port)) {
            throw new UrlImportException(URL_FORBIDDEN, "port " + port + " is not allowed");
        }
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
            if (host.contains("%")) {
                throw new UrlImportException(BAD_URL, "IPv6 zone ids are not accepted");
            }
        }
        Optional<InetAddress> literal = IpLiterals.parse(host);
        if (literal.isEmpty()) {
            checkHostName(host, port);
        }
        return new UrlTarget(uri, scheme, host, port, literal);
    }

    /**
     * Parses {@code uri}, resolves its host once and checks every address. The returned addresses are the only
     * ones a connection for this URL may use.
     */
    public VettedTarget check(URI uri) {
        UrlTarget target = parse(uri);
        return vet(target, resolve(target));
    }

    /** The host's addresses: the literal itself, or one lookup through the resolver. */
    List<InetAddress> resolve(UrlTarget target) {
        if (target.literal().isPresent()) {
            return List.of(target.literal().get());
        }
        try {
            List<InetAddress> addresses = resolver.resolve(target.host());
            if (addresses == null || addresses.isEmpty()) {
                throw new UnknownHostException(target.host());
            }
            return addresses;
        } catch (UnknownHostException e) {
            throw new UrlImportException(URL_UNREACHABLE, "could not resolve host " + target.host(), e);
        }
    }

    /** Checks every address; one non-public address refuses the whole host (no picking the "good" one). */
    VettedTarget vet(UrlTarget target, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            Optional<String> reason = ForbiddenAddresses.reason(address);
            if (reason.isPresent() && !allowList.permitsAddress(target.host(), address, target.port())) {
                // For names, the address itself is not echoed: it would let clients map internal DNS.
                String what = target.literal().isPresent()
                        ? target.host() + " is " + reason.get()
                        : "host " + target.host() + " resolves to " + reason.get();
                throw new UrlImportException(URL_FORBIDDEN, what + "; only public addresses can be fetched");
            }
        }
        return new VettedTarget(target, addresses);
    }

    private void checkHostName(String host, int port) {
        if (IpLiterals.looksNumeric(host)) {
            throw new UrlImportException(BAD_URL, "host " + host
                    + " is an ambiguous IP address spelling; write IPv4 addresses as four decimal numbers");
        }
        if (host.endsWith(".")) {
            throw new UrlImportException(BAD_URL, "host names must not end with a dot");
        }
        if (host.length() > 253) {
            throw new UrlImportException(BAD_URL, "the host name is too long");
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new UrlImportException(BAD_URL, "host " + host + " is not a valid host name");
            }
        }
        if (allowList.permitsHostName(host, port)) {
            return;
        }
        if (RESERVED_NAMES.contains(host) || RESERVED_SUFFIXES.stream().anyMatch(host::endsWith)) {
            throw new UrlImportException(URL_FORBIDDEN, "host " + host + " is a local or metadata host name");
        }
        if (host.indexOf('.') < 0) {
            // Single-label names go through resolver search domains (Kubernetes services, corporate hosts).
            throw new UrlImportException(URL_FORBIDDEN, "host " + host + " is not a fully qualified domain name");
        }
    }

    public static final class Builder {
        private AllowList allowList = AllowList.none();
        private HostResolver resolver = HostResolver.system();
        private Set<Integer> allowedPorts = new HashSet<>();

        private Builder() {
        }

        public Builder allowList(AllowList allowList) {
            this.allowList = allowList;
            return this;
        }

        public Builder resolver(HostResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /** Restricts ports (e.g. 80, 443); by default any port is allowed. */
        public Builder allowedPorts(Set<Integer> ports) {
            this.allowedPorts = new HashSet<>(ports);
            return this;
        }

        public UrlPolicy build() {
            if (allowList == null || resolver == null) {
                throw new IllegalStateException("allowList and resolver must not be null");
            }
            return new UrlPolicy(this);
        }
    }
}
