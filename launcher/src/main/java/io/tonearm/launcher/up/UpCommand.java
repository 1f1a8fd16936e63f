package io.tonearm.launcher.up;

import org.apache.logging.log4j.core.config.Configurator;
import io.tonearm.launcher.DatabaseOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tonearm up}: the whole platform on this machine ({@link Stack}) until Ctrl-C or SIGTERM, which stop every
 * part in reverse order and leave no process behind. Prints the API URL, the docs URL and an API key, then a line
 * per part as it comes up. Logs go to {@code <data-dir>/logs/tonearm.log}.
 */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run PostgreSQL, Kafka, Elasticsearch, the analysis job (Flink MiniCluster) and the API, with all",
                "data under one directory. Ctrl-C stops everything. Each external-service option (or its environment",
                "variable) replaces the embedded server, which is then not started."})
public final class UpCommand implements Callable<Integer> {


    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--port", defaultValue = "${env:TONEARM_PORT:-8080}", paramLabel = "PORT",
            description = "API port (env TONEARM_PORT; default ${DEFAULT-VALUE}). PostgreSQL, Kafka and Elasticsearch take PORT+1, +2, +3 unless set below; 0 picks free ports.")
    int port;

    @Option(names = "--postgres-port", paramLabel = "PORT", description = "Embedded PostgreSQL port (default: --port + 1).")
    Integer postgresPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Embedded Kafka port (default: --port + 2).")
    Integer kafkaPort;

    @Option(names = "--elasticsearch-port", paramLabel = "PORT", description = "Embedded Elasticsearch port (default: --port + 3).")
    Integer elasticsearchPort;



    @Option(names = "--kafka", defaultValue = "${env:TONEARM_KAFKA}", paramLabel = "HOST:PORT[,...]",
            description = "Use these Kafka bootstrap servers instead of the embedded broker (env TONEARM_KAFKA).")
    String kafka;

    @Option(names = "--elasticsearch", defaultValue = "${env:TONEARM_ELASTICSEARCH}", paramLabel = "URL",
            description = "Use this Elasticsearch instead of the embedded node (env TONEARM_ELASTICSEARCH).")
    String elasticsearch;

    @Option(names = {"--blob-store", "--blob-dir"}, paramLabel = "LOCATION",
            description = "Keep uploaded bytes and job outputs here instead of DATA_DIR/blobs: a directory or "
                    + "s3://BUCKET/PREFIX (S3 settings: README, \"Blob store\"; env TONEARM_BLOB_STORE, or TONEARM_BLOB_DIR).")
    String blobStore;

    @Option(names = "--no-pipeline", description = "Do not run the analysis job (API and servers only).")
    boolean noPipeline;

    @Option(names = "--watch", paramLabel = "DIR", description = "Also run the catalog-scan job: register every audio "
            + "file under DIR (a directory, a file: URI or s3://BUCKET/PREFIX, reached with the blob store's S3 settings "
            + "and credentials: README, \"Blob store\"), new and changed ones as they appear, and request the standard "
            + "set for each.")
    String watch;

    @Option(names = "--account", paramLabel = "NAME", description = "Owner of what --watch registers (created when "
            + "missing; default: catalog).")
    String watchAccount;

    @Option(names = "--parallelism", defaultValue = "${env:TONEARM_PARALLELISM:-1}", paramLabel = "N",
            description = "Recordings the analysis job analyzes at once (env TONEARM_PARALLELISM; default ${DEFAULT-VALUE}).")
    int parallelism;

    @Spec
    CommandSpec spec;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        StackConfig config = config();
        Path logFile = config.dataDir().resolve("logs").resolve("tonearm.log");
        Files.createDirectories(logFile.getParent());
        logToFile(logFile);

        Thread main = Thread.currentThread();
        CountDownLatch stop = new CountDownLatch(1);
        Object phase = new Object();
        boolean[] starting = {true};
        Runnable onSignal = () -> {
            synchronized (phase) {
                stop.countDown();
                if (starting[0]) {
                    main.interrupt(); // a start in progress gives up and stops what it started
                }
            }
        };
        Signal.handle(new Signal("INT"), s -> onSignal.run());
        Signal.handle(new Signal("TERM"), s -> onSignal.run());

        out.printf("Tonearm: starting in %s (logs: %s)%n", config.dataDir(), logFile);
        Stack stack;
        try {
            stack = Stack.start(config, new Printer(out, port));
        } catch (RuntimeException e) {
            if (stop.getCount() == 0) {
                out.println("Stopped before every part was up.");
                return 130;
            }
            System.err.println("tonearm up: " + e.getMessage());
            System.err.println("See " + logFile);
            return 1;
        }
        synchronized (phase) {
            starting[0] = false; // from now on a signal only counts down
            Thread.interrupted();
        }
        Thread hook = new Thread(stack::close, "tonearm-up-shutdown"); // System.exit or a signal we do not handle
        Runtime.getRuntime().addShutdownHook(hook);
        stop.await();
        out.println("Stopping...");
        long t = System.nanoTime();
        stack.close();
        out.printf("Stopped in %.1f s.%n", (System.nanoTime() - t) / 1e9);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyExiting) {
            // fine
        }
        return 0;
    }

    StackConfig config() {
        StackConfig c = StackConfig.derived(database.dataDir(), port);
        c = new StackConfig(c.dataDir(), c.apiPort(), postgresPort != null ? postgresPort : c.postgresPort(),
                kafkaPort != null ? kafkaPort : c.kafkaPort(),
                elasticsearchPort != null ? elasticsearchPort : c.elasticsearchPort(),
                null, null, null, null, null, null, !noPipeline, parallelism, true, null);
        if (database.external()) {
            c = c.withJdbc(database.jdbcUrl(), database.user(), database.password());
        }
        if (kafka != null && !kafka.isBlank()) {
            c = c.withKafka(kafka);
        }
        if (elasticsearch != null && !elasticsearch.isBlank()) {
            c = c.withElasticsearch(elasticsearch);
        }
        String blobs = blobStore != null ? blobStore : firstSet(System.getenv("TONEARM_BLOB_STORE"), System.getenv("TONEARM_BLOB_DIR"));
        if (blobs != null) {
            try {
                c = c.withBlobStore(blobs);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--blob-store: " + e.getMessage());
            }
        }
        if (watch != null && !watch.isBlank()) {
            try {
                c = c.withWatch(StackConfig.Watch.of(watch, watchAccount));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        } else if (watchAccount != null) {
            throw new ParameterException(spec.commandLine(), "--account needs --watch");
        }
        return c;
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) return v;
        }
        return null;
    }

    /** Sends every log line to {@code logFile} (the benches start the same stack and log the same way). */
    public static void logToFile(Path logFile) throws URISyntaxException {
        System.setProperty("tonearm.log.file", logFile.toString());
        // Flink logs a few messages with more arguments than placeholders; log4j would print a warning for each.
        System.setProperty("log4j2.statusLoggerLevel", "ERROR");
        Configurator.reconfigure(UpCommand.class.getResource("/tonearm-up-log4j2.xml").toURI());
    }

    /** The terminal's view of the start. */
    private record Printer(PrintStream out, int port) implements Stack.Listener {
        @Override
        public void keyReady(String apiKey) {
            if (port != 0) {
                header("http://localhost:" + port, apiKey);
            } else {
                out.printf("API key: %s%n", apiKey);
            }
        }

        @Override
        public void partUp(String part, String detail, Duration took) {
            out.printf(Locale.ROOT, "  up  %-14s %6.1f s  %s%n", part, took.toMillis() / 1000.0, detail);
        }

        @Override
        public void allUp(String apiUrl, Duration took) {
            if (port == 0) {
                out.printf("API:  %s%nDocs: %s/docs%n", apiUrl, apiUrl);
            }
            out.printf(Locale.ROOT, "All parts up in %.1f s; %s/health answers 200. Ctrl-C stops everything.%n",
                    took.toMillis() / 1000.0, apiUrl);
        }

        private void header(String apiUrl, String apiKey) {
            out.printf("API:     %s%n", apiUrl);
            out.printf("Docs:    %s/docs  (OpenAPI: %s/openapi.json)%n", apiUrl, apiUrl);
            out.printf("API key: %s  (kept in the data dir's api-key file)%n", apiKey);
        }
    }
}
