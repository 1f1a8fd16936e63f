package io.tonearm.sinks.fetch;

import static io.tonearm.sinks.fetch.UrlImportError.BAD_URL;
import static io.tonearm.sinks.fetch.UrlImportError.TIMEOUT;
import static io.tonearm.sinks.fetch.UrlImportError.TOO_LARGE;
import static io.tonearm.sinks.fetch.UrlImportError.TOO_MANY_REDIRECTS;
import static io.tonearm.sinks.fetch.UrlImportError.URL_FORBIDDEN;
import static io.tonearm.sinks.fetch.UrlImportError.URL_HTTP_ERROR;
import static io.tonearm.sinks.fetch.UrlImportError.URL_UNREACHABLE;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Fetches a client-supplied http(s) URL without letting the client reach internal services (SSRF defence).
 *
 * <p>Every hop (the first request and each redirect) is handled the same way: {@link UrlPolicy#parse} checks
 * syntax, scheme and host name; the host is resolved exactly once (bounded by the total timeout) and every
 * address is vetted; the request then runs on an OkHttp client whose {@code Dns} returns exactly those addresses
 * for that host and fails for any other, so there is no second resolution and DNS rebinding cannot swap the
 * address between check and connect. A network interceptor asserts, after connecting and before a byte is
 * sent, that the socket's peer is one of the vetted addresses: OkHttp skips {@code Dns} for IP-literal hosts, and
 * this closes that path and any parser disagreement. Proxies are disabled (a proxy would resolve the name
 * itself), connections are not pooled across fetches, cookies and caches are off.
 *
 * <p>Why OkHttp: it connects to the addresses its {@code Dns} hook returns while TLS still uses the URL's host
 * for SNI and certificate hostname verification, which is exactly "pin the checked address, keep the name".
 * {@code java.net.http.HttpClient} has no resolver hook on Java 17 ({@code InetAddressResolverProvider} is
 * Java 18+); {@code HttpURLConnection} to the bare IP breaks SNI and hostname checks; raw sockets would mean
 * re-implementing HTTP/1.1 framing (chunked bodies, keep-alive) with the bugs that come with it.
 *
 * <p>Redirects (301, 302, 303, 307, 308) are followed by hand, at most {@code maxRedirects}, each re-vetted;
 * https to http is refused unless allowed; a redirect loop is reported as such. Bodies are streamed with a byte
 * cap: a declared Content-Length above the cap fails before reading, and reading stops as soon as the cap is
 * passed, whatever the headers said (a gzip body is counted after decompression). Thread-safe.
 */
public final class SafeUrlFetcher {
    private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("host", "content-length", "transfer-encoding", "connection", "upgrade", "proxy-authorization");
    private static final int WEBHOOK_RESPONSE_LIMIT = 64 * 1024;
    private static final ExecutorService DNS_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "url-import-dns");
        t.setDaemon(true);
        return t;
    });

    private final UrlPolicy policy;
    private final long maxBytes;
    private final Duration totalTimeout;
    private final int maxRedirects;
    private final boolean allowHttpsToHttp;
    private final String userAgent;
    private final OkHttpClient baseClient;

    private SafeUrlFetcher(Builder b) {
        this.policy = b.policy;
        this.maxBytes = b.maxBytes;
        this.totalTimeout = b.totalTimeout;
        this.maxRedirects = b.maxRedirects;
        this.allowHttpsToHttp = b.allowHttpsToHttp;
        this.userAgent = b.userAgent;
        OkHttpClient.Builder ok = new OkHttpClient.Builder()
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .cookieJar(CookieJar.NO_COOKIES)
                .cache(null)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .writeTimeout(b.readTimeout)
                .addNetworkInterceptor(SafeUrlFetcher::requireVettedPeer);
        if (b.sslSocketFactory != null) {
            ok.sslSocketFactory(b.sslSocketFactory, b.trustManager);
        }
        this.baseClient = ok.build();
    }

    public static Builder builder(UrlPolicy policy) {
        return new Builder(policy);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * GETs {@code uri}, following redirects, and streams the body into {@code sink}. On failure the sink may hold
     * a partial body (never more than {@code maxBytes}); the caller discards it.
     *
     * @throws UrlImportException for anything about the URL or the remote side (see {@link UrlImportError})
     * @throws IOException only when writing to {@code sink} fails
     */
    public FetchResult fetch(URI uri, OutputStream sink) throws IOException {
        try (FetchedBody body = open(uri)) {
            long bytes = body.transferTo(sink);
            return new FetchResult(bytes, body.contentType(), body.finalUrl(), body.redirects());
        }
    }

    /**
     * GETs {@code uri}, following redirects, and returns the open body once a 2xx response has arrived, for
     * callers that consume bytes as they come. The byte limit and the total time keep applying while reading.
     *
     * @throws UrlImportException for anything about the URL or the remote side (see {@link UrlImportError})
     */
    public FetchedBody open(URI uri) {
        long deadline = System.nanoTime() + totalTimeout.toNanos();
        Set<String> visited = new HashSet<>();
        UrlTarget target = policy.parse(uri);
        for (int redirects = 0; ; redirects++) {
            if (!visited.add(withoutFragment(target.uri()))) {
                throw new UrlImportException(TOO_MANY_REDIRECTS, "redirect loop: " + target.authority()
                        + " redirected back to a URL already visited");
            }
            VettedTarget vetted = vetWithin(target, deadline);
            Request request = new Request.Builder().url(httpUrl(vetted)).get()
                    .header("User-Agent", userAgent).header("Accept", "*/*")
                    .tag(VettedTarget.class, vetted).build();
            Response response;
            try {
                response = newCall(vetted, request, deadline).execute();
            } catch (IOException e) {
                throw translate(e, target);
            }
            boolean handedOver = false;
            try {
                if (REDIRECT_CODES.contains(response.code())) {
                    if (redirects >= maxRedirects) {
                        throw new UrlImportException(TOO_MANY_REDIRECTS,
                                "more than " + maxRedirects + " redirects");
                    }
                    target = redirectTarget(target, response);
                    continue;
                }
                if (!response.isSuccessful()) {
                    throw new UrlImportException(URL_HTTP_ERROR,
                            target.authority() + " answered HTTP " + response.code());
                }
                long declared = response.body().contentLength();
                if (declared > maxBytes) {
                    throw new UrlImportException(TOO_LARGE,
                            "the file is " + declared + " bytes, more than the limit of " + maxBytes + " bytes");
                }
                UrlTarget answered = target;
                FetchedBody body = new FetchedBody(response, target.uri(), redirects, maxBytes,
                        e -> translate(e, answered));
                handedOver = true;
                return body;
            } finally {
                if (!handedOver) {
                    response.close();
                }
            }
        }
    }

    /**
     * Like {@link #fetch(URI, OutputStream)} into {@code file}, which must not exist yet; the file is deleted if
     * the fetch fails.
     */
    public FetchResult fetchToFile(URI uri, Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean done = false;
        try (out) {
            FetchResult result = fetch(uri, out);
            done = true;
            return result;
        } finally {
            if (!done) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * POSTs {@code body} once, without following redirects (a webhook endpoint that redirects gets its 3xx
     * status back), and returns the response status. The response body is read up to 64 KiB and dropped.
     * Host, Content-Length, Transfer-Encoding, Connection, Upgrade and Proxy-Authorization cannot be set.
     */
    public int post(URI uri, byte[] body, String contentType, Map<String, String> headers) {
        long deadline = System.nanoTime() + totalTimeout.toNanos();
        UrlTarget target = policy.parse(uri);
        VettedTarget vetted = vetWithin(target, deadline);
        Request.Builder request = new Request.Builder().url(httpUrl(vetted))
                .post(RequestBody.create(body, MediaType.get(contentType)))
                .header("User-Agent", userAgent)
                .tag(VettedTarget.class, vetted);
        headers.forEach((name, value) -> {
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " cannot be set");
            }
            request.header(name, value);
        });
        try (Response response = newCall(vetted, request.build(), deadline).execute()) {
            try {
                // Read a little of the reply so the exchange completes; the status is what matters for a webhook.
                response.body().source().request(WEBHOOK_RESPONSE_LIMIT);
            } catch (IOException ignored) {
                // A reply body cut short does not change the status the endpoint gave.
            }
            return response.code();
        } catch (IOException e) {
            throw translate(e, target);
        }
    }

    private Call newCall(VettedTarget vetted, Request request, long deadline) {
        String host = vetted.target().host();
        List<InetAddress> pinned = vetted.addresses();
        OkHttpClient client = baseClient.newBuilder()
                .dns(hostname -> {
                    if (!hostname.equalsIgnoreCase(host)) {
                        throw new PinViolation("lookup of unvetted host " + hostname);
                    }
                    return pinned;
                })
                .build();
        Call call = client.newCall(request);
        call.timeout().timeout(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        return call;
    }

    /** Resolves (once) and vets, with the resolution bounded by what is left of the total time. */
    private VettedTarget vetWithin(UrlTarget target, long deadline) {
        if (target.literal().isPresent()) {
            return policy.vet(target, List.of(target.literal().get()));
        }
        Future<List<InetAddress>> lookup = DNS_THREADS.submit(() -> policy.resolve(target));
        try {
            return policy.vet(target, lookup.get(remainingNanos(deadline), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new UrlImportException(TIMEOUT, "resolving " + target.host() + " took too long");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UrlImportException u) {
                throw u;
            }
            throw new UrlImportException(URL_UNREACHABLE, "could not resolve host " + target.host(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UrlImportException(TIMEOUT, "interrupted while resolving " + target.host());
        }
    }

    private long remainingNanos(long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new UrlImportException(TIMEOUT, "the fetch took longer than " + totalTimeout.toSeconds() + " s");
        }
        return remaining;
    }

    /** The OkHttp URL for a vetted target, refusing any disagreement between OkHttp's parser and ours. */
    private static HttpUrl httpUrl(VettedTarget vetted) {
        UrlTarget t = vetted.target();
        HttpUrl url = HttpUrl.parse(t.uri().toString());
        if (url == null || url.port() != t.port() || !sameHost(url.host(), t)) {
            throw new UrlImportException(BAD_URL, "the URL is ambiguous (its host or port parses differently)");
        }
        return url;
    }

    private static boolean sameHost(String okHost, UrlTarget t) {
        if (t.literal().isPresent()) {
            return IpLiterals.parse(okHost).equals(t.literal());
        }
        return okHost.equalsIgnoreCase(t.host());
    }

    private UrlTarget redirectTarget(UrlTarget from, Response response) {
        String location = response.header("Location");
        if (location == null || location.isBlank()) {
            throw new UrlImportException(URL_HTTP_ERROR,
                    from.authority() + " answered HTTP " + response.code() + " without a Location");
        }
        HttpUrl next = response.request().url().resolve(location.trim());
        if (next == null) {
            // HttpUrl.resolve refuses non-http(s) schemes too; say which one when we can tell.
            String scheme = location.contains(":") ? location.substring(0, location.indexOf(':')) : "";
            String why = scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") && !scheme.equalsIgnoreCase("http")
                    && !scheme.equalsIgnoreCase("https") ? "a " + scheme + ": URL" : "an invalid URL";
            throw new UrlImportException(BAD_URL, from.authority() + " redirected to " + why
                    + "; only http and https can be fetched");
        }
        UrlTarget to = policy.parse(next.uri());
        if (from.isHttps() && !to.isHttps() && !allowHttpsToHttp) {
            throw new UrlImportException(URL_FORBIDDEN, "redirect from https to http (" + to.authority()
                    + ") is not allowed");
        }
        return to;
    }

    private UrlImportException translate(IOException e, UrlTarget target) {
        String where = target.authority();
        if (e instanceof PinViolation) {
            return new UrlImportException(URL_FORBIDDEN, "refused to connect to " + where
                    + ": the connection did not go to a vetted address", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new UrlImportException(TIMEOUT, where + " did not connect or send data in time", e);
        }
        if (e instanceof InterruptedIOException) {
            return new UrlImportException(TIMEOUT, "the fetch from " + where + " took longer than "
                    + totalTimeout.toSeconds() + " s", e);
        }
        if (e instanceof UnknownHostException) {
            return new UrlImportException(URL_UNREACHABLE, "could not resolve host " + target.host(), e);
        }
        if (e instanceof SSLException) {
            return new UrlImportException(URL_UNREACHABLE, "TLS with " + where + " failed: " + e.getMessage(), e);
        }
        if (e instanceof ConnectException) {
            return new UrlImportException(URL_UNREACHABLE, "could not connect to " + where, e);
        }
        return new UrlImportException(URL_UNREACHABLE, "fetching from " + where + " failed: " + e.getMessage(), e);
    }

    /** Runs after OkHttp connected and before it writes the request: the peer must be a vetted address. */
    static Response requireVettedPeer(Interceptor.Chain chain) throws IOException {
        VettedTarget vetted = chain.request().tag(VettedTarget.class);
        Connection connection = chain.connection();
        if (vetted == null || connection == null) {
            throw new PinViolation("request without a vetted target");
        }
        if (connection.route().proxy().type() != Proxy.Type.DIRECT
                || !vetted.addresses().contains(connection.route().socketAddress().getAddress())) {
            throw new PinViolation("connected to an address that was not vetted");
        }
        return chain.proceed(chain.request());
    }

    private static String withoutFragment(URI uri) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        return hash < 0 ? s : s.substring(0, hash);
    }

    public static final class Builder {
        private final UrlPolicy policy;
        private long maxBytes = 500L * 1024 * 1024;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration totalTimeout = Duration.ofMinutes(10);
        private int maxRedirects = 5;
        private boolean allowHttpsToHttp;
        private String userAgent = "Tonearm-UrlImport/0.1";
        private SSLSocketFactory sslSocketFactory;
        private X509TrustManager trustManager;

        private Builder(UrlPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /** Largest body accepted; 500 MiB by default. */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Longest silence while reading (or writing); 30 s by default. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /** Whole fetch including DNS, redirects and the body; 10 min by default. */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = timeout;
            return this;
        }

        public Builder maxRedirects(int maxRedirects) {
            this.maxRedirects = maxRedirects;
            return this;
        }

        /** Whether an https URL may redirect to http; refused by default. */
        public Builder allowHttpsToHttp(boolean allow) {
            this.allowHttpsToHttp = allow;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        /** Custom trust (a private CA, or a test certificate); the platform trust store by default. */
        public Builder tls(SSLSocketFactory socketFactory, X509TrustManager trustManager) {
            this.sslSocketFactory = Objects.requireNonNull(socketFactory);
            this.trustManager = Objects.requireNonNull(trustManager);
            return this;
        }

        public SafeUrlFetcher build() {
            if (maxBytes < 1 || maxRedirects < 0) {
                throw new IllegalStateException("maxBytes must be positive and maxRedirects not negative");
            }
            for (Duration d : List.of(connectTimeout, readTimeout, totalTimeout)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalStateException("timeouts must be positive");
                }
            }
            return new SafeUrlFetcher(this);
        }
    }
}
