package io.tonearm.api;

import io.tonearm.analysis.decode.Decoders;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.api.outbox.KafkaHealth;
import io.tonearm.api.outbox.OutboxRelay;
import io.tonearm.api.search.SearchSettings;
import io.tonearm.api.system.HealthCheck;
import io.tonearm.sinks.postgres.Database;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one API replica: PostgreSQL pool (schema migrated), the blob store, the HTTP server, and, when
 * Kafka is configured, the outbox relay and its health check. {@code tonearm up} calls {@link #start}; as a
 * program it reads its settings from the environment:
 * {@code TONEARM_DATA_DIR}, {@code TONEARM_BLOB_STORE} (a directory or {@code s3://BUCKET/PREFIX}, sinks'
 * {@link BlobStores}, which also names the S3 settings it reads; {@code TONEARM_BLOB_DIR} is its older name; default
 * {@code TONEARM_DATA_DIR/blobs}), {@code TONEARM_JDBC_URL}, {@code TONEARM_DB_USER}, {@code TONEARM_DB_PASSWORD},
 * {@code TONEARM_KAFKA_BOOTSTRAP} (optional), {@code TONEARM_PORT} (default 8080), {@code TONEARM_RELAY_NAME},
 * {@code TONEARM_PUBLIC_URL}, {@code TONEARM_SIGNING_KEYS} ({@code k1:BASE64,...}), {@code TONEARM_URL_ALLOWLIST}
 * (comma-separated hosts or CIDRs that {@code method=url} and webhooks may reach although not public),
 * {@code TONEARM_PROCESSING_WAIT_SECONDS} (how long a processing request waits for its result before 202, default
 * 10), {@code TONEARM_WEBHOOK_BACKOFF_MS} / {@code TONEARM_WEBHOOK_MAX_ATTEMPTS} / {@code TONEARM_WEBHOOK_POLL_MS}
 * (delivery retries: 10000 ms doubling, 8 attempts, queue polled every 1000 ms), {@code TONEARM_ELASTICSEARCH}
 * (the node {@code GET /v1/search} reads, e.g. {@code http://127.0.0.1:9200}; without it search answers 503).
 */
public final class ApiMain {

    /**
     * Settings of one replica.
     *
     * @param kafkaBootstrap null to run without Kafka (events wait in the outbox)
     * @param relayName      stable per deployment: it names the relay's Kafka transactional id
     */
    public record Settings(Path dataDir, String jdbcUrl, String dbUser, String dbPassword, String kafkaBootstrap,
                           int port, String relayName) {
    }

    /** A running replica; closing stops everything it started. */
    public record Running(ApiServer server, Database db, OutboxRelay relay, KafkaHealth kafkaHealth) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            server.close();
            if (relay != null) {
                relay.close();
            }
            if (kafkaHealth != null) {
                kafkaHealth.close();
            }
            db.close();
        }
    }

    private ApiMain() {
    }

    public static Running start(Settings s, ApiConfig config) throws IOException {
        return start(s, config, s.dataDir().resolve("blobs").toString(), List.of());
    }

    /**
     * As {@link #start(Settings, ApiConfig)} with blobs in the store at {@code blobStore} (a directory or
     * {@code s3://BUCKET/PREFIX}) and more parts in {@code /health} ({@code tonearm up} adds the servers and the
     * analysis job it runs).
     *
     * @throws IllegalArgumentException a blob store location that cannot be used, before anything starts
     */
    public static Running start(Settings s, ApiConfig config, String blobStore, List<HealthCheck> extraChecks) throws IOException {
        BlobStore blobs = BlobStores.open(blobStore);
        Database db = Database.open(s.jdbcUrl(), s.dbUser(), s.dbPassword(), 16);
        List<HealthCheck> checks = new ArrayList<>(extraChecks);
        KafkaHealth kafkaHealth = s.kafkaBootstrap() == null ? null : new KafkaHealth(s.kafkaBootstrap());
        if (kafkaHealth != null) {
            checks.add(kafkaHealth);
        }
        ApiServer server = new ApiServer(config, db, blobs, Decoders.standard(), checks);
        OutboxRelay relay = null;
        if (s.kafkaBootstrap() != null) {
            relay = OutboxRelay.builder().dataSource(db.dataSource()).bootstrapServers(s.kafkaBootstrap())
                    .name(s.relayName())
                    .onPublished(n -> {
                        server.metrics().increment("tonearm_outbox_published_total",
                                "Outbox events published to Kafka by this replica's relay", n);
                        server.metrics().increment("tonearm_outbox_batches_total",
                                "Kafka transactions this replica's relay committed (events per transaction: published / batches)", 1);
                    })
                    .build().start();
        }
        server.start(s.port());
        return new Running(server, db, relay, kafkaHealth);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(env.getOrDefault("TONEARM_DATA_DIR", "data"));
        Settings s = new Settings(dataDir, env.getOrDefault("TONEARM_JDBC_URL", "jdbc:postgresql://localhost:5432/tonearm"),
                env.getOrDefault("TONEARM_DB_USER", "tonearm"), env.get("TONEARM_DB_PASSWORD"),
                env.get("TONEARM_KAFKA_BOOTSTRAP"), Integer.parseInt(env.getOrDefault("TONEARM_PORT", "8080")),
                env.getOrDefault("TONEARM_RELAY_NAME", "default"));
        String allow = env.getOrDefault("TONEARM_URL_ALLOWLIST", "");
        ApiConfig config = ApiConfig.defaults(dataDir).withPublicBaseUrl(env.get("TONEARM_PUBLIC_URL"))
                .withSigningKeys(env.get("TONEARM_SIGNING_KEYS"))
                .withUrlAllowList(allow.isBlank() ? List.of() : List.of(allow.split("\\s*,\\s*")))
                .withSearch(SearchSettings.at(env.get("TONEARM_ELASTICSEARCH")));
        try {
            config = config.withCredits(CreditPolicy.configured(env));
        } catch (IllegalArgumentException e) {
            System.err.println("Tonearm API: " + e.getMessage());
            System.exit(2);
            return;
        }
        Running running;
        try {
            running = start(s, config, blobStoreLocation(env, dataDir), List.of());
        } catch (IllegalArgumentException e) {
            System.err.println("Tonearm API: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("Tonearm API listening on port " + running.server().port());
    }

    /** {@code TONEARM_BLOB_STORE}, else {@code TONEARM_BLOB_DIR} (its older name), else {@code dataDir/blobs}. */
    static String blobStoreLocation(Map<String, String> env, Path dataDir) {
        for (String name : new String[] {BlobStores.LOCATION_ENV, "TONEARM_BLOB_DIR"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return dataDir.resolve("blobs").toString();
    }
}
