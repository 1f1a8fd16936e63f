package io.tonearm.sinks.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Policy decisions only: IP literals and a map-backed resolver, so nothing here touches the network. */
class UrlPolicyTest {
    /** A resolver from a fixed table; unknown names fail like NXDOMAIN. */
    static HostResolver table(Map<String, List<String>> names) {
        return host -> {
            List<String> addresses = names.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses.stream().map(a -> IpLiterals.parse(a).orElseThrow()).toList();
        };
    }

    private final UrlPolicy policy = UrlPolicy.builder()
            .resolver(table(Map.of(
                    "public.example", List.of("93.184.216.34"),
                    "private.example", List.of("10.0.0.5"),
                    "localtest.example", List.of("127.0.0.1"),
                    "metadata.example", List.of("169.254.169.254"),
                    "mixed.example", List.of("93.184.216.34", "192.168.1.10"),
                    "mapped.example", List.of("::ffff:127.0.0.1"),
                    "v6public.example", List.of("2606:4700:4700::1111"))))
            .build();

    private static URI uri(String s) {
        return URI.create(s);
    }

    private void assertRefused(String url, UrlImportError error) {
        assertThatThrownBy(() -> policy.check(uri(url)))
                .isInstanceOfSatisfying(UrlImportException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/", "http://127.5.6.7:8080/x", "http://10.1.2.3/", "http://172.16.0.1/",
        "http://172.31.255.255/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:10.0.0.1]/",
        "http://[::127.0.0.1]/", "http://0.0.0.0/", "http://[::]/", "http://100.64.0.1/", "http://100.100.100.200/",
        "http://224.0.0.1/", "http://255.255.255.255/", "http://[fe80::1]/", "http://[fc00::1]/",
        "http://[fd00:ec2::254]/", "http://[ff02::1]/", "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a00:1]/",
        "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::]/", "http://198.18.0.1/", "http://240.0.0.1/",
        "https://192.0.2.1/", "http://[2001:db8::1]/"})
    void nonPublicAddressesAreForbidden(String url) {
        assertRefused(url, UrlImportError.URL_FORBIDDEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://8.8.8.8/", "https://93.184.216.34/a.mp3", "http://172.32.0.1/", "http://172.15.255.255/",
        "http://100.128.0.1/", "http://[2606:4700:4700::1111]/", "http://[64:ff9b::808:808]/",
        "http://169.253.1.1/", "http://11.0.0.1/"})
    void publicAddressesPass(String url) {
        VettedTarget vetted = policy.check(uri(url));
        assertThat(vetted.addresses()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/", "http://127.1/",
        "http://017700000001/", "http://127.000.000.001/", "http://0x7f.1/", "http://10.0.1/",
        "http://3232235777/", "http://foo.0x10/", "http://1.2.3.4.5/", "http://127.0.0.1./"})
    void ambiguousIpSpellingsAreRefused(String url) {
        assertRefused(url, UrlImportError.BAD_URL);
    }

    /** What the JDK makes of odd spellings: the reason the policy refuses them instead of parsing them. */
    @Test
    void jdkReadsOddSpellingsDifferentlyFromBrowsers() throws Exception {
        assertThat(InetAddress.getByName("2130706433").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(InetAddress.getByName("127.1").getHostAddress()).isEqualTo("127.0.0.1");
        // curl and browsers read 0177 as octal (127.0.0.1); the JDK reads decimal 177.
        assertThat(InetAddress.getByName("0177.0.0.1").getHostAddress()).isEqualTo("177.0.0.1");
        // The JDK maps IPv4-mapped IPv6 straight to the IPv4 address.
        assertThat(InetAddress.getByName("::ffff:127.0.0.1").getHostAddress()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ftp://example.com/a.mp3", "file:///etc/passwd", "gopher://example.com:70/_x", "javascript:alert(1)",
        "data:audio/mpeg;base64,AAAA", "jar:http://example.com/a.jar!/x", "//example.com/a.mp3", "example.com/a.mp3",
        "http:///a.mp3", "http://user:secret@public.example/", "http://public.example@127.0.0.1/",
        "http://user@public.example/", "http://exa_mple.com/", "http://public.example:0/",
        "http://public.example:70000/", "http://[fe80::1%25eth0]/", "http://a..b.example/",
        "http://%31%32%37.0.0.1/", "http://127.0.0.1%2f@public.example/", "http://127\u30020\u30020\u30021/",
        "http://[::1%2500]/"})
    void malformedOrNonHttpUrlsAreBadUrls(String url) {
        assertRefused(url, UrlImportError.BAD_URL);
    }

    @Test
    void unparsableTextIsABadUrl() {
        assertThatThrownBy(() -> UrlPolicy.parseUri("http://exa mple.com/"))
                .isInstanceOfSatisfying(UrlImportException.class, e -> assertThat(e.code()).isEqualTo("bad_url"));
        assertThatThrownBy(() -> UrlPolicy.parseUri("  "))
                .isInstanceOfSatisfying(UrlImportException.class, e -> assertThat(e.code()).isEqualTo("bad_url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://localhost/", "http://LOCALHOST:8080/", "http://foo.localhost/", "http://metadata.google.internal/",
        "http://metadata/computeMetadata/v1/", "http://db.internal/", "http://printer.local/",
        "http://kubernetes.default.svc/", "http://intranet/"})
    void reservedAndSingleLabelNamesAreForbidden(String url) {
        assertRefused(url, UrlImportError.URL_FORBIDDEN);
    }

    @Test
    void localhostIsForbiddenWithTheSystemResolverToo() {
        UrlPolicy system = UrlPolicy.publicOnly();
        assertThatThrownBy(() -> system.check(uri("http://localhost:8080/")))
                .isInstanceOfSatisfying(UrlImportException.class,
                        e -> assertThat(e.error()).isEqualTo(UrlImportError.URL_FORBIDDEN));
        // An operator's host entry admits that name and its addresses, on its port only.
        UrlPolicy allowingLocalhost = UrlPolicy.builder().allowList(AllowList.of("localhost:8080")).build();
        assertThat(allowingLocalhost.check(uri("http://localhost:8080/")).addresses())
                .allMatch(InetAddress::isLoopbackAddress);
        assertThatThrownBy(() -> allowingLocalhost.check(uri("http://localhost:8081/")))
                .isInstanceOfSatisfying(UrlImportException.class,
                        e -> assertThat(e.error()).isEqualTo(UrlImportError.URL_FORBIDDEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://private.example/", "http://localtest.example/", "http://metadata.example/",
        "http://mixed.example/", "http://mapped.example/"})
    void namesResolvingToNonPublicAddressesAreForbidden(String url) {
        assertRefused(url, UrlImportError.URL_FORBIDDEN);
    }

    @Test
    void messagesForNamesDoNotRevealTheResolvedAddress() {
        assertThatThrownBy(() -> policy.check(uri("http://private.example/")))
                .hasMessageContaining("private.example")
                .hasMessageContaining("private address")
                .hasMessageNotContaining("10.0.0.5");
    }

    @Test
    void publicNamesPassWithEveryAddress() {
        VettedTarget vetted = policy.check(uri("https://public.example/song.mp3"));
        assertThat(vetted.target().port()).isEqualTo(443);
        assertThat(vetted.addresses()).extracting(InetAddress::getHostAddress).containsExactly("93.184.216.34");
        assertThat(policy.check(uri("http://V6PUBLIC.example:8080/")).target().host()).isEqualTo("v6public.example");
    }

    @Test
    void unresolvableNamesAreUnreachable() {
        assertRefused("http://nxdomain.example/", UrlImportError.URL_UNREACHABLE);
    }

    @Test
    void allowListPermitsAddressesBlocksPortsAndNames() {
        UrlPolicy allowing = UrlPolicy.builder()
                .resolver(table(Map.of("minio.internal", List.of("10.1.2.3"), "cache.example", List.of("10.9.9.9"))))
                .allowList(AllowList.of("127.0.0.1", "[::1]:8080", "192.168.0.0/16", "minio.internal:9000",
                        "10.9.0.0/16:443"))
                .build();
        assertThat(allowing.check(uri("http://127.0.0.1:1234/")).addresses()).hasSize(1);
        assertThat(allowing.check(uri("http://[::1]:8080/")).addresses()).hasSize(1);
        assertThat(allowing.check(uri("http://192.168.44.1/")).addresses()).hasSize(1);
        assertThat(allowing.check(uri("http://minio.internal:9000/bucket/a.wav")).addresses()).hasSize(1);
        assertThat(allowing.check(uri("https://cache.example/")).addresses()).hasSize(1);

        for (String refused : List.of("http://127.0.0.2/", "http://[::1]:8081/", "http://minio.internal:9001/",
                "http://10.1.2.3:9000/", "http://cache.example/", "http://169.254.169.254/")) {
            assertThatThrownBy(() -> allowing.check(uri(refused)))
                    .as(refused)
                    .isInstanceOfSatisfying(UrlImportException.class,
                            e -> assertThat(e.error()).isEqualTo(UrlImportError.URL_FORBIDDEN));
        }
        // The allow-list never admits other schemes.
        assertThatThrownBy(() -> allowing.check(uri("ftp://127.0.0.1/")))
                .isInstanceOfSatisfying(UrlImportException.class,
                        e -> assertThat(e.error()).isEqualTo(UrlImportError.BAD_URL));
    }

    @Test
    void badAllowListEntriesAreRejected() {
        for (String bad : List.of("10.0.0.0/33", "127.0.0.1:0", "2130706433", "[::1", "host:port", "")) {
            assertThatThrownBy(() -> AllowList.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void portsCanBeRestricted() {
        UrlPolicy webPorts = UrlPolicy.builder().resolver(table(Map.of(
                "public.example", List.of("93.184.216.34")))).allowedPorts(Set.of(80, 443)).build();
        assertThat(webPorts.check(uri("https://public.example/")).target().port()).isEqualTo(443);
        assertThatThrownBy(() -> webPorts.check(uri("http://public.example:6379/")))
                .isInstanceOfSatisfying(UrlImportException.class,
                        e -> assertThat(e.error()).isEqualTo(UrlImportError.URL_FORBIDDEN));
    }

    @Test
    void errorsCarryStableCodesAndStatuses() {
        assertThat(UrlImportError.BAD_URL.code()).isEqualTo("bad_url");
        assertThat(UrlImportError.URL_FORBIDDEN.code()).isEqualTo("url_forbidden");
        assertThat(UrlImportError.TOO_LARGE.httpStatus()).isEqualTo(413);
        assertThat(UrlImportError.BAD_URL.httpStatus()).isEqualTo(400);
        assertThat(UrlImportError.URL_FORBIDDEN.httpStatus()).isEqualTo(422);
    }

    @Test
    void mappedFormsBuiltFromBytesAreJudgedByTheirIpv4Address() throws Exception {
        byte[] mappedLoopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mappedLoopback, -1);
        assertThat(v6).isInstanceOf(java.net.Inet6Address.class);
        assertThat(ForbiddenAddresses.reason(v6)).hasValue("IPv6 form of a loopback address");
        byte[] mappedPublic = mappedLoopback.clone();
        mappedPublic[12] = 8;
        mappedPublic[15] = 8;
        assertThat(ForbiddenAddresses.reason(java.net.Inet6Address.getByAddress(null, mappedPublic, -1))).isEmpty();
    }

    @Test
    void cidrBlocksMatchByPrefix() {
        CidrBlock block = CidrBlock.parse("172.16.0.0/12");
        assertThat(block.contains(IpLiterals.parse("172.16.0.0").orElseThrow())).isTrue();
        assertThat(block.contains(IpLiterals.parse("172.31.255.255").orElseThrow())).isTrue();
        assertThat(block.contains(IpLiterals.parse("172.32.0.0").orElseThrow())).isFalse();
        assertThat(block.contains(IpLiterals.parse("::1").orElseThrow())).isFalse();
        assertThat(CidrBlock.parse("fc00::/7").contains(IpLiterals.parse("fdff::1").orElseThrow())).isTrue();
        assertThat(CidrBlock.parse("10.1.2.3/8")).isEqualTo(CidrBlock.parse("10.0.0.0/8"));
        assertThat(CidrBlock.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    }
}
