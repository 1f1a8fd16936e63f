package io.tonearm.localstack;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL, Kafka, Elasticsearch and an S3-compatible server, each started lazily on first use and kept until
 * {@link #close()}.
 *
 * <p>Tests call {@link #shared()}: one throwaway set per JVM (a surefire run), handed to every test class and
 * stopped by a shutdown hook, so Elasticsearch's ~30–70 s start is paid once. {@code tonearm up} calls
 * {@link #persistent(Path)}: the same servers with their data under one directory ({@code postgres/},
 * {@code kafka/}, {@code elasticsearch/}, {@code s3/}), kept across restarts.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static LocalStack shared;

    private final Path root;
    private final Lazy<PostgresServer> postgres;
    private final Lazy<KafkaServer> kafka;
    private final Lazy<ElasticsearchServer> elasticsearch;
    private final Lazy<S3Server> s3;

    /** Client ports of the three servers; 0 = a free one. */
    public record Ports(int postgres, int kafka, int elasticsearch) {
        public static final Ports FREE = new Ports(0, 0, 0);
    }

    private LocalStack(Path root, Ports ports) {
        this.root = root;
        this.postgres = new Lazy<>(() -> PostgresServer.builder().directory(sub("postgres")).port(ports.postgres()).start());
        this.kafka = new Lazy<>(() -> KafkaServer.builder().directory(sub("kafka")).port(ports.kafka()).start());
        this.elasticsearch = new Lazy<>(() ->
                ElasticsearchServer.builder().directory(sub("elasticsearch")).port(ports.elasticsearch()).start());
        this.s3 = new Lazy<>(() -> {
            S3Server server = S3Server.builder().directory(sub("s3")).start();
            if (root == null) {
                // The shared (test) server's credentials go where the AWS SDK's default chain looks first, so that
                // code opening a blob store by its location alone reaches it, as it would with real credentials.
                System.setProperty("aws.accessKeyId", server.accessKey());
                System.setProperty("aws.secretAccessKey", server.secretKey());
            }
            return server;
        });
    }

    /** The servers of this JVM, throwaway; each server's own shutdown hook stops it at JVM exit. */
    public static synchronized LocalStack shared() {
        if (shared == null) {
            shared = new LocalStack(null, Ports.FREE);
        }
        return shared;
    }

    /** Servers keeping their data under {@code root}, on free ports; the caller closes them. */
    public static LocalStack persistent(Path root) {
        return persistent(root, Ports.FREE);
    }

    /** Servers keeping their data under {@code root}, on the given ports; the caller closes them. */
    public static LocalStack persistent(Path root, Ports ports) {
        return new LocalStack(root.toAbsolutePath(), ports);
    }

    public PostgresServer postgres() {
        return postgres.get();
    }

    public KafkaServer kafka() {
        return kafka.get();
    }

    public ElasticsearchServer elasticsearch() {
        return elasticsearch.get();
    }

    /**
     * S3Proxy with a filesystem backend (a child JVM, ~2 s to start). With {@link #shared()} its credentials are
     * published as the system properties {@code aws.accessKeyId} / {@code aws.secretAccessKey}.
     */
    public S3Server s3() {
        return s3.get();
    }

    /** Stops whatever was started, newest first. */
    @Override
    public void close() {
        s3.close();
        elasticsearch.close();
        kafka.close();
        postgres.close();
    }

    private Path sub(String name) {
        return root == null ? null : root.resolve(name);
    }

    /**
     * Starts a server once; a failed start is remembered and rethrown, so that every test class after the
     * first sees the same clear error instead of paying the start-up timeout again.
     */
    private static final class Lazy<S extends AutoCloseable> {
        private final Supplier<S> starter;
        private S server;
        private RuntimeException failure;
        private boolean closed;

        Lazy(Supplier<S> starter) {
            this.starter = starter;
        }

        synchronized S get() {
            if (closed) {
                throw new IllegalStateException("the local stack is closed");
            }
            if (failure != null) {
                throw new LocalStackException("an earlier start failed: " + failure.getMessage(), failure);
            }
            if (server == null) {
                try {
                    server = starter.get();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return server;
        }

        synchronized void close() {
            closed = true;
            if (server != null) {
                try {
                    server.close();
                } catch (Exception e) {
                    LOG.warn("stopping {} failed", server.getClass().getSimpleName(), e);
                }
                server = null;
            }
        }
    }
}
