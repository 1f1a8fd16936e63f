package io.tonearm.localstack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka 4.2 broker running in this JVM: KRaft in combined mode (one node is both broker and controller),
 * plaintext on 127.0.0.1. Its log directory is formatted once (when {@code meta.properties} is absent), so a
 * persistent directory keeps topics and committed offsets across restarts. Ready when the admin client can
 * describe the cluster.
 */
public final class KafkaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final ServerDirectory directory;
    private final String bootstrapServers;
    private final Admin admin;
    private final ShutdownHook shutdownHook;

    private KafkaServer(KafkaRaftServer server, ServerDirectory directory, String bootstrapServers, Admin admin) {
        this.server = server;
        this.directory = directory;
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
        // A clean shutdown spares a persistent log directory the recovery at next start.
        this.shutdownHook = ShutdownHook.register("kafka-" + bootstrapServers, this::stop);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A throwaway broker on free ports. */
    public static KafkaServer startThrowaway() {
        return builder().start();
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates each topic with one replica (the only broker) unless it exists. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        createTopics(topics);
    }

    /** Creates the topics unless they exist; replication factor must be 1 on this single broker. */
    public void createTopics(Collection<NewTopic> topics) {
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new LocalStackException("cannot create topic " + name + " on " + bootstrapServers, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted creating topic " + name, e);
            } catch (TimeoutException e) {
                throw new LocalStackException("creating topic " + name + " on " + bootstrapServers + " timed out", e);
            }
        });
        awaitListed(topics.stream().map(NewTopic::name).toList());
    }

    /**
     * In KRaft the creation completes when the controller commits it; the broker's metadata cache follows a moment
     * later. Waiting until the broker lists the topics spares every caller a transient unknown-topic error.
     */
    private void awaitListed(List<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(names)) {
                if (System.nanoTime() > deadline) {
                    throw new LocalStackException("topics " + names + " not listed by " + bootstrapServers + " after 30 s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted waiting for topics " + names, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LocalStackException("cannot list topics on " + bootstrapServers, e);
        }
    }

    /** The admin client this server uses; owned by the server (do not close it). */
    public Admin admin() {
        return admin;
    }

    public Path logDirectory() {
        return directory.path();
    }

    @Override
    public void close() {
        shutdownHook.stopNow();
    }

    /** Runs once, from close() or at JVM exit ({@link ShutdownHook}). */
    private void stop() {
        long t0 = System.nanoTime();
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        directory.release();
        LOG.info("Kafka on {} stopped in {} ms", bootstrapServers, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /**
     * {@code directory}: the log directory (topics, offsets) kept across restarts. {@code port}: the client port;
     * the controller always takes a free port.
     */
    public static final class Builder extends ServerBuilder<Builder> {
        private Builder() {
            super(Duration.ofSeconds(90));
        }

        @Override
        Builder self() {
            return this;
        }

        public KafkaServer start() {
            ServerDirectory dir = ServerDirectory.persistentOrThrowaway(directory, "kafka");
            int brokerPort = FreePort.orFree(port);
            int controllerPort = FreePort.pick();
            String bootstrap = "127.0.0.1:" + brokerPort;
            long t0 = System.nanoTime();
            KafkaRaftServer server = null;
            Admin admin = null;
            try {
                formatOnce(dir.path());
                server = new KafkaRaftServer(KafkaConfig.fromProps(properties(dir.path(), brokerPort, controllerPort), false),
                        Time.SYSTEM);
                server.startup();
                admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
                awaitReady(admin, bootstrap, startTimeout);
                LOG.info("Kafka started on {} in {} ms (log dir {})", bootstrap,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), dir.path());
                return new KafkaServer(server, dir, bootstrap, admin);
            } catch (Exception e) {
                if (admin != null) {
                    admin.close(Duration.ofSeconds(1));
                }
                if (server != null) {
                    server.shutdown();
                    server.awaitShutdown();
                }
                dir.release();
                throw new LocalStackException("Kafka (in-process KRaft broker+controller, kafka_2.13 4.2.0) failed to start on "
                        + bootstrap + " (controller port " + controllerPort + ") with log dir " + dir.path(), e);
            }
        }
    }

    private static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** Writes {@code meta.properties} and the bootstrap metadata, only for a new directory. */
    private static void formatOnce(Path logDir) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        LOG.debug("formatted {}: {}", logDir, out.toString(StandardCharsets.UTF_8).trim());
    }

    private static void awaitReady(Admin admin, String bootstrap, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new LocalStackException("Kafka on " + bootstrap + " did not answer describeCluster within " + timeout, last);
    }
}
