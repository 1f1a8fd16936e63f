package io.tonearm.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch (the integ-test distribution from Maven Central, unpacked by the build) run as a
 * child process on this JVM's Java, bound to 127.0.0.1 with security off.
 *
 * <p>Its directory holds {@code config/} (a copy of the distribution's, with our {@code elasticsearch.yml}),
 * {@code data/}, {@code logs/}, {@code tmp/} and {@code console.log} (stdout and stderr). Elasticsearch refuses to
 * run as root: as root, the directory is given to the system user {@code tonearm} (created if missing) and the
 * server is started through {@code setpriv} as that user ({@code unshare -U} does not work for Elasticsearch).
 *
 * <p>Ready when cluster health is yellow or green ({@code GET /} does not exist in this build). {@link #close()}
 * stops the launcher and its server JVM; a shutdown hook does the same at JVM exit, and {@code setpriv --pdeathsig}
 * stops the launcher if this JVM dies abruptly. Indexes on a single node need {@code number_of_replicas: 0} to be
 * green. This build lacks scripting, update/delete-by-query and language analyzers.
 */
public final class ElasticsearchServer extends ChildServer {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchServer.class);
    private static final Pattern READY = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow)\"");


    private ElasticsearchServer(ChildProcess process, ServerDirectory directory, int port) {
        super("Elasticsearch", process, directory, port, Duration.ofSeconds(20));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A throwaway node on a free port. */
    public static ElasticsearchServer startThrowaway() {
        return builder().start();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String httpUrl() {
        return "http://" + host() + ":" + port();
    }

    /** {@code directory}: config, data and logs kept across restarts. {@code port}: the HTTP port. */
    public static final class Builder extends ServerBuilder<Builder> {
        private Path home;
        private String heap = "512m";
        private String user = ServiceUser.DEFAULT_NAME;
        private String extraJavaOptions = "";
        private boolean fastStartup = true;

        private Builder() {
            super(Duration.ofMinutes(3));
        }

        @Override
        Builder self() {
            return this;
        }

        /** The unpacked distribution; default {@link ElasticsearchHome#locate()}. */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** Heap size for both -Xms and -Xmx, e.g. {@code 512m}. */
        public Builder heap(String heap) {
            if (!heap.matches("\\d+[mg]")) {
                throw new IllegalArgumentException("heap must look like 512m or 1g: " + heap);
            }
            this.heap = heap;
            return this;
        }

        /**
         * Default true: the launcher and server JVMs only use the C1 compiler ({@code -XX:TieredStopAtLevel=1}).
         * Measured on a loaded 2-core machine: ready in 46 s instead of 84–106 s; peak query throughput is lower,
         * which local use and tests do not notice.
         */
        public Builder fastStartup(boolean fastStartup) {
            this.fastStartup = fastStartup;
            return this;
        }

        /** More options for the server JVM, appended to {@code ES_JAVA_OPTS}. */
        public Builder extraJavaOptions(String options) {
            this.extraJavaOptions = options;
            return this;
        }

        /** The account used when running as root; default {@code tonearm}. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public ElasticsearchServer start() {
            Path esHome = home != null ? home.toAbsolutePath() : ElasticsearchHome.locate();
            ServerDirectory dir = ServerDirectory.persistentOrThrowaway(directory, "elasticsearch");
            int httpPort = FreePort.orFree(port);
            Path console = dir.path().resolve("console.log");
            String runAs = System.getProperty("user.name");
            long t0 = System.nanoTime();
            ChildProcess process = null;
            try {
                prepare(esHome, dir.path(), httpPort, FreePort.pick());
                List<String> command = List.of(esHome.resolve("bin/elasticsearch").toString());
                if (Unix.isRoot()) {
                    ServiceUser serviceUser = ServiceUser.ensure(user);
                    runAs = serviceUser.name();
                    serviceUser.ensureTraversable(esHome.resolve("bin"));
                    serviceUser.ensureTraversable(Path.of(System.getProperty("java.home"), "bin"));
                    serviceUser.ensureTraversable(dir.path());
                    serviceUser.own(dir.path());
                    command = serviceUser.command(command);
                } else if (Unix.tool("setpriv") != null) {
                    List<String> withDeathSignal = new ArrayList<>(List.of(Unix.tool("setpriv").toString(), "--pdeathsig=TERM"));
                    withDeathSignal.addAll(command);
                    command = withDeathSignal;
                }
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir.path().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
                Map<String, String> env = builder.environment();
                env.put("ES_JAVA_HOME", System.getProperty("java.home"));
                env.put("ES_PATH_CONF", dir.path().resolve("config").toString());
                env.put("ES_TMPDIR", dir.path().resolve("tmp").toString());
                String c1Only = fastStartup ? "-XX:TieredStopAtLevel=1" : "";
                env.put("ES_JAVA_OPTS", String.join(" ", "-Xms" + heap, "-Xmx" + heap, c1Only, extraJavaOptions).trim());
                env.put("CLI_JAVA_OPTS", c1Only);
                env.put("HOME", dir.path().toString());
                env.remove("JAVA_TOOL_OPTIONS");
                env.remove("_JAVA_OPTIONS");
                process = ChildProcess.start(builder, "elasticsearch-" + httpPort);
                awaitReady(process, httpPort, startTimeout);
                LOG.info("Elasticsearch {} started on 127.0.0.1:{} as {} in {} ms (dir {})", ElasticsearchHome.version(),
                        httpPort, runAs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), dir.path());
                return new ElasticsearchServer(process, dir, httpPort);
            } catch (RuntimeException | IOException e) {
                if (process != null) {
                    process.destroyTree(Duration.ofSeconds(10));
                }
                String tail = LogTail.of(console, 40);
                dir.release();
                throw new LocalStackException("Elasticsearch (" + esHome.resolve("bin/elasticsearch") + ", Java "
                        + System.getProperty("java.home") + ") failed to start as user " + runAs + " on 127.0.0.1:"
                        + httpPort + " in " + dir.path() + ": " + e.getMessage() + "\n" + tail, e);
            }
        }
    }

    /** Copies the distribution's config (keeping files already there) and writes our settings. */
    private static void prepare(Path home, Path dir, int httpPort, int transportPort) throws IOException {
        for (String sub : new String[] {"data", "logs", "tmp", "config"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path source = home.resolve("config");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve("config").resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target)) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        String settings = String.join("\n",
                "# Written by io.tonearm.localstack.ElasticsearchServer at each start.",
                "cluster.name: tonearm-local",
                "node.name: tonearm-local",
                "discovery.type: single-node",
                "xpack.security.enabled: false",
                "network.host: 127.0.0.1",
                "http.port: " + httpPort,
                "transport.port: " + transportPort,
                "path.data: " + dir.resolve("data"),
                "path.logs: " + dir.resolve("logs"),
                // A nearly full CI disk must not leave shards unassigned.
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "");
        Files.writeString(dir.resolve("config/elasticsearch.yml"), settings, StandardCharsets.UTF_8);
    }

    private static void awaitReady(ChildProcess process, int port, Duration timeout) {
        HttpRequest health = HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        HttpReadiness.await(process, health, r -> r.statusCode() == 200 && READY.matcher(r.body()).find(), timeout,
                Duration.ofMillis(500), "Elasticsearch (cluster health yellow or green)");
    }
}
