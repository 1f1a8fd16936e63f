package io.tonearm.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible server: S3Proxy (Maven Central, {@code org.gaul:s3proxy}) with its filesystem backend, run as a
 * child JVM from the jar the local-stack build copied ({@link S3ProxyJar}), bound to 127.0.0.1 and checking AWS
 * signatures (V2 and V4) against {@link #accessKey()} / {@link #secretKey()}. A child process because S3Proxy brings
 * Jetty 12 and more, which must not meet the API's Jetty 11 on one classpath.
 *
 * <p>Its directory holds {@code data/} (one folder per bucket, one file per object), {@code s3proxy.conf} and
 * {@code console.log}. Ready when it answers HTTP (an unsigned {@code GET /} gets 403). {@link #close()} stops it; a
 * shutdown hook does the same at JVM exit, and {@code setpriv --pdeathsig} stops it if this JVM dies abruptly.
 */
public final class S3Server extends ChildServer {
    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    public static final String ACCESS_KEY = "tonearm-local";
    public static final String SECRET_KEY = "tonearm-local-secret";


    private S3Server(ChildProcess process, ServerDirectory directory, int port) {
        super("S3Proxy", process, directory, port, Duration.ofSeconds(10));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint S3 clients are given (with path-style addressing). */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** Creates an empty bucket (the filesystem backend's bucket is a folder); an existing one is kept. */
    public void createBucket(String bucket) {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not a bucket name: " + bucket);
        }
        try {
            Files.createDirectories(directory().resolve("data").resolve(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create bucket " + bucket, e);
        }
    }

    /**
     * {@code s3://bucket/prefix?endpoint=…&path_style=true}: a blob store location (sinks' {@code BlobStores}) that
     * reaches this server; the credentials come from the AWS SDK's default chain ({@link LocalStack#s3()} sets them).
     */
    public String location(String bucket, String prefix) {
        return "s3://" + bucket + "/" + prefix + "?endpoint=" + URLEncoder.encode(endpoint(), StandardCharsets.UTF_8)
                + "&path_style=true";
    }

    /** {@code directory}: buckets kept across restarts. {@code port}: the HTTP port. */
    public static final class Builder extends ServerBuilder<Builder> {
        private Path jar;

        private Builder() {
            super(Duration.ofMinutes(1));
        }

        @Override
        Builder self() {
            return this;
        }

        /** The S3Proxy jar with dependencies; default {@link S3ProxyJar#locate()}. */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        public S3Server start() {
            Path s3proxy = jar != null ? jar.toAbsolutePath() : S3ProxyJar.locate();
            ServerDirectory dir = ServerDirectory.persistentOrThrowaway(directory, "s3");
            int httpPort = FreePort.orFree(port);
            Path console = dir.path().resolve("console.log");
            long t0 = System.nanoTime();
            ChildProcess process = null;
            try {
                Path data = Files.createDirectories(dir.path().resolve("data"));
                Path conf = dir.path().resolve("s3proxy.conf");
                Files.writeString(conf, String.join("\n",
                        "# Written by io.tonearm.localstack.S3Server at each start.",
                        "s3proxy.endpoint=http://127.0.0.1:" + httpPort,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + data,
                        ""), StandardCharsets.UTF_8);
                List<String> command = new ArrayList<>();
                if (Unix.tool("setpriv") != null) {
                    command.addAll(List.of(Unix.tool("setpriv").toString(), "--pdeathsig=TERM"));
                }
                command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // a small heap (S3Proxy streams bodies to its files); full JIT, since a test uploads 160 MB
                        "-Xmx192m", "-XX:+UseSerialGC", "-Xss512k",
                        "-jar", s3proxy.toString(), "--properties", conf.toString()));
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir.path().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
                Map<String, String> env = builder.environment();
                env.put("LOG_LEVEL", "warn");
                env.remove("JAVA_TOOL_OPTIONS");
                env.remove("_JAVA_OPTIONS");
                process = ChildProcess.start(builder, "s3proxy-" + httpPort);
                awaitReady(process, httpPort, startTimeout);
                LOG.info("S3Proxy {} started on 127.0.0.1:{} in {} ms (dir {})", S3ProxyJar.version(), httpPort,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), dir.path());
                return new S3Server(process, dir, httpPort);
            } catch (RuntimeException | IOException e) {
                if (process != null) {
                    process.destroyTree(Duration.ofSeconds(10));
                }
                String tail = LogTail.of(console, 40);
                dir.release();
                throw new LocalStackException("S3Proxy (" + s3proxy + ", Java " + System.getProperty("java.home")
                        + ") failed to start on 127.0.0.1:" + httpPort + ": " + e.getMessage() + "\n" + tail, e);
            }
        }
    }

    private static void awaitReady(ChildProcess process, int port, Duration timeout) {
        HttpRequest root = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        // an unsigned request: 403 from a server that checks signatures, 200 from one that does not
        HttpReadiness.await(process, root, r -> r.statusCode() == 403 || r.statusCode() == 200, timeout,
                Duration.ofMillis(100), "S3Proxy (an HTTP answer)");
    }
}
