package io.tonearm.sinks.fetch;

import static io.tonearm.sinks.fetch.RawServer.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real fetches against servers on 127.0.0.1, which the allow-list admits. Forbidden targets are refused before
 * any connection, so no test sends traffic to a non-loopback address.
 */
class SafeUrlFetcherTest {
    private static final byte[] AUDIO = "ID3 pretend this is an mp3".getBytes(StandardCharsets.US_ASCII);

    private final AtomicInteger lookups = new AtomicInteger();
    /** Test DNS: names used below; everything else is NXDOMAIN. Counts lookups to prove one per hop. */
    private final HostResolver resolver = host -> {
        lookups.incrementAndGet();
        return switch (host) {
            case "media.example", "secure.example" -> List.of(InetAddress.getByName("127.0.0.1"));
            case "private.example" -> List.of(InetAddress.getByName("10.0.0.7"));
            default -> throw new UnknownHostException(host);
        };
    };
    private final UrlPolicy loopbackAllowed = UrlPolicy.builder()
            .resolver(resolver).allowList(AllowList.of("127.0.0.1")).build();
    private final SafeUrlFetcher fetcher = SafeUrlFetcher.builder(loopbackAllowed)
            .maxBytes(1024 * 1024).connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2))
            .totalTimeout(Duration.ofSeconds(10)).build();

    private LocalServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void assertFails(UrlImportError expected, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(UrlImportException.class,
                e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(expected));
    }

    @Test
    void fetchesFromAnAllowListedLocalServer() throws Exception {
        server = LocalServer.http().body("/a.mp3", "audio/mpeg", AUDIO);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        FetchResult result = fetcher.fetch(URI.create(server.url("/a.mp3")), sink);

        assertThat(sink.toByteArray()).isEqualTo(AUDIO);
        assertThat(result.bytes()).isEqualTo(AUDIO.length);
        assertThat(result.contentType()).isEqualTo("audio/mpeg");
        assertThat(result.finalUrl()).isEqualTo(URI.create(server.url("/a.mp3")));
        assertThat(result.redirects()).isZero();
    }

    @Test
    void fetchesOverIpv6LoopbackWhenAllowListed() throws Exception {
        InetAddress v6Loopback = InetAddress.getByName("::1");
        com.sun.net.httpserver.HttpServer v6;
        try {
            v6 = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(v6Loopback, 0), 0);
        } catch (IOException noIpv6) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback on this machine");
            return;
        }
        v6.createContext("/a.mp3", ex -> LocalServer.send(ex, 200, "audio/mpeg", AUDIO));
        v6.start();
        try {
            URI url = URI.create("http://[::1]:" + v6.getAddress().getPort() + "/a.mp3");
            assertFails(UrlImportError.URL_FORBIDDEN, () -> fetcher.fetch(url, OutputStream.nullOutputStream()));
            SafeUrlFetcher v6Allowed = SafeUrlFetcher.builder(
                    UrlPolicy.builder().allowList(AllowList.of("::1")).build()).build();
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            v6Allowed.fetch(url, sink);
            assertThat(sink.toByteArray()).isEqualTo(AUDIO);
        } finally {
            v6.stop(0);
        }
    }

    @Test
    void withoutTheAllowListTheSameLocalServerIsForbidden() throws Exception {
        server = LocalServer.http().body("/a.mp3", "audio/mpeg", AUDIO);
        SafeUrlFetcher strict = SafeUrlFetcher.builder(UrlPolicy.builder().resolver(resolver).build()).build();
        assertFails(UrlImportError.URL_FORBIDDEN,
                () -> strict.fetch(URI.create(server.url("/a.mp3")), OutputStream.nullOutputStream()));
        assertThat(server.paths).isEmpty();
    }

    @Test
    void connectsToTheResolvedAddressWithTheOriginalHostHeaderResolvingOnce() throws Exception {
        server = LocalServer.http().body("/a.mp3", "audio/mpeg", AUDIO);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        fetcher.fetch(URI.create("http://media.example:" + server.port() + "/a.mp3"), sink);

        assertThat(sink.toByteArray()).isEqualTo(AUDIO);
        assertThat(server.hostHeaders).containsExactly("media.example:" + server.port());
        assertThat(lookups.get()).isEqualTo(1);
    }

    @Test
    void namesResolvingToForbiddenAddressesAreRefusedBeforeConnecting() {
        assertFails(UrlImportError.URL_FORBIDDEN,
                () -> fetcher.fetch(URI.create("http://private.example/a.mp3"), OutputStream.nullOutputStream()));
        assertFails(UrlImportError.URL_FORBIDDEN,
                () -> fetcher.fetch(URI.create("http://localhost/a.mp3"), OutputStream.nullOutputStream()));
        assertFails(UrlImportError.URL_UNREACHABLE,
                () -> fetcher.fetch(URI.create("http://nowhere.example/a.mp3"), OutputStream.nullOutputStream()));
    }

    @Test
    void followsRedirectsAndReportsTheFinalUrl() throws Exception {
        server = LocalServer.http().body("/final.mp3", "audio/mpeg", AUDIO);
        server.redirect("/one", 301, "/two").redirect("/two", 302, "three").redirect("/three", 303,
                "http://media.example:" + server.port() + "/final.mp3");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        FetchResult result = fetcher.fetch(URI.create(server.url("/one")), sink);

        assertThat(sink.toByteArray()).isEqualTo(AUDIO);
        assertThat(result.redirects()).isEqualTo(3);
        assertThat(result.finalUrl().toString()).isEqualTo("http://media.example:" + server.port() + "/final.mp3");
    }

    @Test
    void redirectsToForbiddenAddressesAreRefused() throws Exception {
        server = LocalServer.http()
                .redirect("/metadata", 302, "http://169.254.169.254/latest/meta-data/iam/")
                .redirect("/private", 307, "http://10.0.0.1/")
                .redirect("/private-name", 302, "http://private.example/")
                .redirect("/v6", 308, "http://[::1]:1/")
                .redirect("/mapped", 302, "http://[::ffff:169.254.169.254]/")
                .redirect("/decimal", 302, "http://2130706433:1/")
                .redirect("/localhost", 302, "http://localhost:1/");
        for (String path : List.of("/metadata", "/private", "/private-name", "/v6", "/mapped", "/localhost")) {
            assertFails(UrlImportError.URL_FORBIDDEN,
                    () -> fetcher.fetch(URI.create(server.url(path)), OutputStream.nullOutputStream()));
        }
        assertFails(UrlImportError.BAD_URL,
                () -> fetcher.fetch(URI.create(server.url("/decimal")), OutputStream.nullOutputStream()));
    }

    @Test
    void redirectsToOtherSchemesAreRefused() throws Exception {
        server = LocalServer.http()
                .redirect("/file", 302, "file:///etc/passwd")
                .redirect("/ftp", 302, "ftp://example.com/a.mp3")
                .redirect("/gopher", 302, "gopher://127.0.0.1:6379/_INFO")
                .redirect("/nowhere", 302, "");
        for (String path : List.of("/file", "/ftp", "/gopher")) {
            assertThatThrownBy(() -> fetcher.fetch(URI.create(server.url(path)), OutputStream.nullOutputStream()))
                    .isInstanceOfSatisfying(UrlImportException.class, e -> {
                        assertThat(e.error()).isEqualTo(UrlImportError.BAD_URL);
                        assertThat(e.getMessage()).contains(path.substring(1) + ":");
                    });
        }
        assertFails(UrlImportError.URL_HTTP_ERROR,
                () -> fetcher.fetch(URI.create(server.url("/nowhere")), OutputStream.nullOutputStream()));
    }

    @Test
    void redirectLoopsAndLongChainsStop() throws Exception {
        server = LocalServer.http().redirect("/a", 302, "/b").redirect("/b", 302, "/a");
        for (int i = 0; i < 5; i++) {
            server.redirect("/five" + i, 302, "/five" + (i + 1));
        }
        server.body("/five5", "audio/mpeg", AUDIO);
        for (int i = 0; i < 6; i++) {
            server.redirect("/six" + i, 302, "/six" + (i + 1));
        }
        server.body("/six6", "audio/mpeg", AUDIO);

        assertThatThrownBy(() -> fetcher.fetch(URI.create(server.url("/a")), OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(UrlImportException.class, e -> {
                    assertThat(e.error()).isEqualTo(UrlImportError.TOO_MANY_REDIRECTS);
                    assertThat(e.getMessage()).contains("loop");
                });
        // Five redirects are allowed, six are not.
        assertThat(fetcher.fetch(URI.create(server.url("/five0")), OutputStream.nullOutputStream()).redirects())
                .isEqualTo(5);
        assertFails(UrlImportError.TOO_MANY_REDIRECTS,
                () -> fetcher.fetch(URI.create(server.url("/six0")), OutputStream.nullOutputStream()));
    }

    @Test
    void bodiesLargerThanTheLimitAreRefused() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        server = LocalServer.http()
                .body("/declared", "audio/wav", big)
                .route("/chunked", ex -> {
                    ex.getResponseHeaders().set("Content-Type", "audio/wav");
                    ex.sendResponseHeaders(200, 0);
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int i = 0; i < 32; i++) {
                            out.write(new byte[64 * 1024]);
                        }
                    } catch (IOException clientHungUp) {
                        // expected: the fetcher stops reading at the limit
                    }
                });
        CountingSink sink = new CountingSink();
        assertThatThrownBy(() -> fetcher.fetch(URI.create(server.url("/declared")), sink))
                .isInstanceOfSatisfying(UrlImportException.class, e -> {
                    assertThat(e.error()).isEqualTo(UrlImportError.TOO_LARGE);
                    assertThat(e.error().httpStatus()).isEqualTo(413);
                });
        assertThat(sink.count).isZero();

        CountingSink chunkedSink = new CountingSink();
        assertFails(UrlImportError.TOO_LARGE, () -> fetcher.fetch(URI.create(server.url("/chunked")), chunkedSink));
        assertThat(chunkedSink.count).isPositive().isLessThanOrEqualTo(fetcher.maxBytes());
    }

    @Test
    void aContentLengthThatUnderstatesTheBodyCannotSmuggleMoreBytes() throws Exception {
        byte[] flood = new byte[3 * 1024 * 1024];
        Arrays.fill(flood, (byte) 'x');
        try (RawServer raw = new RawServer(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nContent-Length: 10\r\n\r\n"));
            out.write(flood);
        })) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            FetchResult result = fetcher.fetch(URI.create(raw.url("/lie")), sink);
            assertThat(result.bytes()).isEqualTo(10);
            assertThat(sink.size()).isEqualTo(10);
        }
    }

    @Test
    void aContentLengthThatOverstatesTheBodyIsAnError() throws Exception {
        try (RawServer raw = new RawServer(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nContent-Length: 1000\r\n\r\n"));
            out.write(new byte[10]);
        })) {
            assertFails(UrlImportError.URL_UNREACHABLE,
                    () -> fetcher.fetch(URI.create(raw.url("/short")), OutputStream.nullOutputStream()));
        }
    }

    @Test
    void aBodyWithoutLengthIsCutAtTheLimit() throws Exception {
        try (RawServer raw = new RawServer(out -> {
            out.write(ascii("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n"));
            for (int i = 0; i < 40; i++) {
                out.write(new byte[64 * 1024]);
            }
        })) {
            CountingSink sink = new CountingSink();
            assertFails(UrlImportError.TOO_LARGE, () -> fetcher.fetch(URI.create(raw.url("/endless")), sink));
            assertThat(sink.count).isLessThanOrEqualTo(fetcher.maxBytes());
        }
    }

    @Test
    void aGzipBombIsCountedAfterDecompression() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(new byte[8 * 1024 * 1024]);
        }
        byte[] bomb = zipped.toByteArray();
        assertThat((long) bomb.length).isLessThan(fetcher.maxBytes() / 10);
        try (RawServer raw = new RawServer(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nContent-Encoding: gzip\r\n"
                    + "Content-Length: " + bomb.length + "\r\n\r\n"));
            out.write(bomb);
        })) {
            CountingSink sink = new CountingSink();
            assertFails(UrlImportError.TOO_LARGE, () -> fetcher.fetch(URI.create(raw.url("/bomb")), sink));
            assertThat(sink.count).isLessThanOrEqualTo(fetcher.maxBytes());
        }
    }

    @Test
    void aServerThatStallsTimesOut() throws Exception {
        SafeUrlFetcher impatient = SafeUrlFetcher.builder(loopbackAllowed)
                .readTimeout(Duration.ofMillis(300)).totalTimeout(Duration.ofSeconds(5)).build();
        try (RawServer raw = new RawServer(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"));
            out.flush();
            Thread.sleep(5_000);
        })) {
            long start = System.nanoTime();
            assertFails(UrlImportError.TIMEOUT,
                    () -> impatient.fetch(URI.create(raw.url("/stall")), OutputStream.nullOutputStream()));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aServerThatTricklesHitsTheTotalTimeout() throws Exception {
        SafeUrlFetcher bounded = SafeUrlFetcher.builder(loopbackAllowed)
                .readTimeout(Duration.ofSeconds(2)).totalTimeout(Duration.ofMillis(800)).build();
        try (RawServer raw = new RawServer(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
            for (int i = 0; i < 1000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(50);
            }
        })) {
            long start = System.nanoTime();
            assertFails(UrlImportError.TIMEOUT,
                    () -> bounded.fetch(URI.create(raw.url("/trickle")), OutputStream.nullOutputStream()));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void errorStatusesAndRefusedConnectionsAreReported() throws Exception {
        server = LocalServer.http().route("/gone", ex -> LocalServer.send(ex, 404, "text/plain", ascii("no")));
        assertThatThrownBy(() -> fetcher.fetch(URI.create(server.url("/gone")), OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(UrlImportException.class, e -> {
                    assertThat(e.error()).isEqualTo(UrlImportError.URL_HTTP_ERROR);
                    assertThat(e.getMessage()).contains("404");
                });
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertFails(UrlImportError.URL_UNREACHABLE, () -> fetcher.fetch(
                URI.create("http://127.0.0.1:" + closedPort + "/"), OutputStream.nullOutputStream()));
    }

    @Test
    void httpsUsesTheUrlsNameForSniAndCertificateChecksWhileConnectingToThePinnedAddress() throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("secure.example").build();
        HandshakeCertificates serverTls = new HandshakeCertificates.Builder().heldCertificate(cert).build();
        HandshakeCertificates clientTls = new HandshakeCertificates.Builder()
                .addTrustedCertificate(cert.certificate()).build();
        SafeUrlFetcher tlsFetcher = SafeUrlFetcher.builder(loopbackAllowed)
                .tls(clientTls.sslSocketFactory(), clientTls.trustManager()).build();
        server = LocalServer.https(serverTls.sslContext()).body("/a.mp3", "audio/mpeg", AUDIO)
                .redirect("/downgrade", 302, "http://media.example:1/a.mp3");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        tlsFetcher.fetch(URI.create("https://secure.example:" + server.port() + "/a.mp3"), sink);

        assertThat(sink.toByteArray()).isEqualTo(AUDIO);
        assertThat(server.sniName.get()).isEqualTo("secure.example");
        assertThat(server.hostHeaders).containsExactly("secure.example:" + server.port());
        // The same server reached under a name its certificate does not cover fails the hostname check.
        assertFails(UrlImportError.URL_UNREACHABLE, () -> tlsFetcher.fetch(
                URI.create("https://media.example:" + server.port() + "/a.mp3"), OutputStream.nullOutputStream()));
        // https must not redirect to http.
        assertFails(UrlImportError.URL_FORBIDDEN, () -> tlsFetcher.fetch(
                URI.create("https://secure.example:" + server.port() + "/downgrade"), OutputStream.nullOutputStream()));
    }

    @Test
    void sinkFailuresAreTheCallersIoExceptionNotAUrlError() throws Exception {
        server = LocalServer.http().body("/a.mp3", "audio/mpeg", AUDIO);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> fetcher.fetch(URI.create(server.url("/a.mp3")), broken))
                .isExactlyInstanceOf(IOException.class).hasMessage("disk full");
    }

    @Test
    void fetchToFileKeepsTheBodyOrDeletesTheFile(@TempDir Path dir) throws Exception {
        server = LocalServer.http().body("/a.mp3", "audio/mpeg", AUDIO)
                .route("/gone", ex -> LocalServer.send(ex, 404, "text/plain", ascii("no")));
        Path ok = dir.resolve("ok.bin");
        fetcher.fetchToFile(URI.create(server.url("/a.mp3")), ok);
        assertThat(Files.readAllBytes(ok)).isEqualTo(AUDIO);

        Path failed = dir.resolve("failed.bin");
        assertFails(UrlImportError.URL_HTTP_ERROR, () -> fetcher.fetchToFile(URI.create(server.url("/gone")), failed));
        assertThat(failed).doesNotExist();

        // An existing file is neither overwritten nor deleted.
        assertThatThrownBy(() -> fetcher.fetchToFile(URI.create(server.url("/gone")), ok))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(ok)).isEqualTo(AUDIO);
    }

    @Test
    void webhookPostsGoToVettedAddressesAndDoNotFollowRedirects() throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        server = LocalServer.http()
                .route("/hook", ex -> {
                    ex.getRequestBody().transferTo(received);
                    assertThat(ex.getRequestHeaders().getFirst("X-Tonearm-Signature")).isEqualTo("sig");
                    ex.sendResponseHeaders(204, -1);
                })
                .redirect("/moved", 302, "http://169.254.169.254/");
        byte[] event = "{\"event\":\"job.completed\"}".getBytes(StandardCharsets.UTF_8);

        int status = fetcher.post(URI.create("http://media.example:" + server.port() + "/hook"), event,
                "application/json", Map.of("X-Tonearm-Signature", "sig"));

        assertThat(status).isEqualTo(204);
        assertThat(received.toByteArray()).isEqualTo(event);
        assertThat(fetcher.post(URI.create(server.url("/moved")), event, "application/json", Map.of()))
                .isEqualTo(302);
        assertFails(UrlImportError.URL_FORBIDDEN, () -> fetcher.post(URI.create("http://10.0.0.1/hook"), event,
                "application/json", Map.of()));
        assertThatThrownBy(() -> fetcher.post(URI.create(server.url("/hook")), event, "application/json",
                Map.of("Host", "internal.example"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openStreamsTheBodyAndKeepsTheLimitWhileReading() throws Exception {
        server = LocalServer.http()
                .body("/a.mp3", "audio/mpeg", AUDIO)
                .route("/endless", ex -> {
                    ex.getResponseHeaders().set("Content-Type", "audio/wav");
                    ex.sendResponseHeaders(200, 0);
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int i = 0; i < 64; i++) {
                            out.write(new byte[64 * 1024]);
                        }
                    } catch (IOException clientHungUp) {
                        // expected
                    }
                });
        try (FetchedBody body = fetcher.open(URI.create(server.url("/a.mp3")))) {
            assertThat(body.contentType()).isEqualTo("audio/mpeg");
            assertThat(body.declaredLength()).isEqualTo(AUDIO.length);
            assertThat(body.stream().readAllBytes()).isEqualTo(AUDIO);
        }
        try (FetchedBody body = fetcher.open(URI.create(server.url("/endless")))) {
            assertThat(body.declaredLength()).isEqualTo(-1);
            assertFails(UrlImportError.TOO_LARGE, () -> body.stream().readAllBytes());
        }
    }

    @Test
    void slowDnsCountsAgainstTheTotalTime() {
        HostResolver slow = host -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(InetAddress.getByName("127.0.0.1"));
        };
        SafeUrlFetcher bounded = SafeUrlFetcher.builder(
                        UrlPolicy.builder().resolver(slow).allowList(AllowList.of("127.0.0.1")).build())
                .totalTimeout(Duration.ofMillis(300)).build();
        long start = System.nanoTime();
        assertFails(UrlImportError.TIMEOUT,
                () -> bounded.fetch(URI.create("http://media.example/a.mp3"), OutputStream.nullOutputStream()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    /**
     * The last line of defence on its own: an OkHttp client with only the peer check, asked to send a request
     * whose vetted addresses do not include the one it connects to. Nothing may reach the server.
     */
    @Test
    void thePeerCheckStopsARequestToAnAddressThatWasNotVetted() throws Exception {
        server = LocalServer.http().body("/a.mp3", "audio/mpeg", AUDIO);
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder()
                .proxy(java.net.Proxy.NO_PROXY)
                .addNetworkInterceptor(SafeUrlFetcher::requireVettedPeer).build();
        UrlTarget target = loopbackAllowed.parse(URI.create(server.url("/a.mp3")));
        VettedTarget elsewhere = new VettedTarget(target, List.of(InetAddress.getByName("127.0.0.2")));
        VettedTarget right = new VettedTarget(target, List.of(InetAddress.getByName("127.0.0.1")));

        for (VettedTarget vetted : Arrays.asList(elsewhere, null)) {
            okhttp3.Request request = new okhttp3.Request.Builder().url(server.url("/a.mp3"))
                    .tag(VettedTarget.class, vetted).build();
            assertThatThrownBy(() -> client.newCall(request).execute().close()).isInstanceOf(PinViolation.class);
        }
        assertThat(server.paths).isEmpty();

        okhttp3.Request request = new okhttp3.Request.Builder().url(server.url("/a.mp3"))
                .tag(VettedTarget.class, right).build();
        try (okhttp3.Response response = client.newCall(request).execute()) {
            assertThat(response.body().bytes()).isEqualTo(AUDIO);
        }
    }

    /** Counts bytes without keeping them. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
