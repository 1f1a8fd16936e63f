package io.tonearm.launcher.up;

import io.tonearm.api.ApiConfig;
import io.tonearm.api.ApiMain;
import io.tonearm.api.search.SearchSettings;
import io.tonearm.api.accounts.Account;
import io.tonearm.api.accounts.AccountService;
import io.tonearm.sinks.credits.CreditPolicy;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.system.HealthCheck;
import io.tonearm.events.Topics;
import io.tonearm.localstack.ElasticsearchServer;
import io.tonearm.localstack.KafkaServer;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The whole platform in this JVM and its children: PostgreSQL, a Kafka broker (KRaft), Elasticsearch, the
 * analysis job on a Flink MiniCluster, and the API with its outbox relay. {@code tonearm up} and the tests start
 * it the same way, through {@link #start}.
 *
 * <p>Start order: Elasticsearch begins first in the background (it takes 30–70 s), then PostgreSQL (schema
 * migrated, default key made), Kafka (topics made), the API with its relay, and, once Elasticsearch is up, the
 * analysis job (its search sink sets up the index when it starts); a watched bucket has Flink's S3 plugin loaded
 * first of all ({@link FlinkS3Plugin}). {@link #close()} stops them in reverse order. The API's {@code /health}
 * lists every part and answers 200 only when all are up. A part given as an external address is not started.
 */
public final class Stack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Stack.class);
    private static final String DATABASE = "tonearm";
    static final int TOPIC_PARTITIONS = 2;

    /** Told about progress, one call per part as it comes up. */
    public interface Listener {
        /** The default API key is known (PostgreSQL is up); called before the parts' lines. */
        default void keyReady(String apiKey) {
        }

        default void partUp(String part, String detail, Duration took) {
        }

        default void allUp(String apiUrl, Duration took) {
        }

        Listener NONE = new Listener() {
        };
    }

    private final StackConfig config;
    private final UnaryOperator<ApiConfig> apiConfig;
    private final Deque<NamedStop> stops = new ArrayDeque<>();
    private volatile String elasticsearchUrl;
    private Thread elasticsearchStarter;
    private final CompletableFuture<String> elasticsearchReady = new CompletableFuture<>();
    private String jdbcUrl;
    private String dbUser;
    private String kafka;
    private String apiUrl;
    private String apiKey;
    private ApiMain.Running api;
    private volatile AnalysisPipeline pipeline;
    private Account watchAccount;
    private boolean closed;

    private record NamedStop(String name, AutoCloseable stop) {
    }

    private Stack(StackConfig config, UnaryOperator<ApiConfig> apiConfig) {
        this.config = config;
        this.apiConfig = apiConfig;
    }

    /** Starts every part; on failure stops what was started and rethrows. */
    public static Stack start(StackConfig config, Listener listener) {
        return start(config, listener, UnaryOperator.identity());
    }

    /** As above, with the API's settings adjusted by {@code api} (the benches lift the rate limits). */
    public static Stack start(StackConfig config, Listener listener, UnaryOperator<ApiConfig> api) {
        Stack stack = new Stack(config, api);
        try {
            stack.startParts(listener);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        } catch (Exception e) {
            stack.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("tonearm up failed: " + e.getMessage(), e);
        }
    }

    private void startParts(Listener listener) throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(config.dataDir());
        DataDirLock lock = DataDirLock.tryAcquire(config.dataDir()).orElseThrow(() -> new IllegalStateException(
                "another tonearm up runs on " + config.dataDir() + " (it holds " + config.dataDir().resolve("up.lock") + ")"));
        stops.push(new NamedStop("lock", lock));
        if (config.watch() != null && config.watch().s3() != null) {
            startS3FileSystem(config.watch());
        }

        startElasticsearch(listener);

        long t = System.nanoTime();
        String pgDetail;
        if (config.jdbcUrl() == null) {
            PostgresServer pg = PostgresServer.builder().directory(config.postgresDir()).port(config.postgresPort()).start();
            stops.push(new NamedStop("postgres", pg));
            pg.createDatabase(DATABASE);
            jdbcUrl = "jdbc:postgresql://localhost:" + pg.port() + "/" + DATABASE;
            dbUser = PostgresServer.SUPERUSER;
            pgDetail = jdbcUrl + " (data " + config.postgresDir() + ")";
        } else {
            jdbcUrl = config.jdbcUrl();
            dbUser = config.dbUser();
            pgDetail = jdbcUrl + " (external)";
        }
        AnalysisPipeline.CatalogScan scan = null;
        try (Database db = Database.open(jdbcUrl, dbUser, config.dbPassword(), 2)) { // migrates the schema
            AccountService accounts = new AccountService(db);
            apiKey = DefaultApiKey.ensure(config.dataDir(), accounts);
            if (config.watch() != null) {
                watchAccount = accounts.ensureAccount(config.watch().account(), Plan.PRO);
                scan = new AnalysisPipeline.CatalogScan(config.watch().dir(), watchAccount.id());
            }
        }
        // Early, so that `tonearm keys` can reach the database while the slower parts start.
        new StackState(ProcessHandle.current().pid(), null, jdbcUrl, dbUser, null, null).write(config.dataDir());
        listener.keyReady(apiKey);
        listener.partUp("postgres", pgDetail, since(t));

        t = System.nanoTime();
        if (config.kafka() == null) {
            KafkaServer broker = KafkaServer.builder().directory(config.kafkaDir()).port(config.kafkaPort()).start();
            stops.push(new NamedStop("kafka", broker));
            kafka = broker.bootstrapServers();
            createTopics(kafka);
            listener.partUp("kafka", kafka + " (KRaft, data " + config.kafkaDir() + ")", since(t));
        } else {
            kafka = config.kafka();
            createTopics(kafka);
            listener.partUp("kafka", kafka + " (external)", since(t));
        }

        t = System.nanoTime();
        List<HealthCheck> checks = new ArrayList<>();
        if (config.search()) {
            checks.add(new ElasticsearchHealth(() -> elasticsearchUrl));
        }
        if (config.pipeline()) {
            checks.add(HealthCheck.of("analysis_job", () -> pipeline != null && pipeline.isRunning()));
        }
        ApiConfig apiSettings = apiConfig.apply(ApiConfig.defaults(config.dataDir())
                .withCredits(CreditPolicy.configured()) // the jobs below are given the same policy
                .withSigningKeys(SigningKeyFile.ensure(config.dataDir()))
                .withSearch(config.search() ? SearchSettings.whenReady(() -> elasticsearchUrl) // null until the node is up
                        : SearchSettings.none()));
        List<String> urlAllowList = apiSettings.urlAllowList();
        api = ApiMain.start(new ApiMain.Settings(config.dataDir(), jdbcUrl, dbUser, config.dbPassword(), kafka,
                config.apiPort(), "up"), apiSettings, config.blobStore(), checks);
        stops.push(new NamedStop("api", api));
        apiUrl = "http://localhost:" + api.server().port();
        listener.partUp("api", apiUrl + " (outbox relay to Kafka, blobs " + config.blobStore() + ")", since(t));
        if (config.elasticsearch() != null) {
            listener.partUp("elasticsearch", elasticsearchUrl + " (external)", Duration.ZERO);
        }

        // The job's search sink sets up its index when it starts, so the job waits for Elasticsearch.
        try {
            elasticsearchReady.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Elasticsearch did not start: " + e.getCause().getMessage(), e.getCause());
        }
        if (config.pipeline()) {
            t = System.nanoTime();
            pipeline = AnalysisPipeline.start(config.flinkDir(), config.blobStore(), kafka, new PostgresConnection(jdbcUrl, dbUser,
                    config.dbPassword()), elasticsearchUrl, config.parallelism(), scan,
                    urlAllowList, apiSettings.credits());
            stops.push(new NamedStop("analysis job", pipeline));
            listener.partUp("analysis job", "Flink MiniCluster, parallelism " + config.parallelism()
                    + ", results to PostgreSQL" + (config.search() ? " and Elasticsearch" : "") + " (checkpoints " + config.flinkDir() + ")", since(t));
            listener.partUp("kafka ingestion", Topics.INGEST + " → assets, outcomes on " + Topics.RESULTS
                    + " (docs/ingest-topic.md)", Duration.ZERO);
            if (scan != null) {
                listener.partUp("catalog scan", config.watch().describe() + " every " + AnalysisPipeline.SCAN_INTERVAL.toSeconds()
                        + " s for account '" + watchAccount.name() + "' (" + watchAccount.id() + "); a key for it: ./tonearm keys create --account "
                        + watchAccount.name(), Duration.ZERO);
            }
        }
        new StackState(ProcessHandle.current().pid(), apiUrl, jdbcUrl, dbUser, kafka, elasticsearchUrl).write(config.dataDir());
        listener.allUp(apiUrl, since(t0));
    }

    /**
     * Flink's S3 plugin for the watched bucket, with the blob store's settings and credentials, before the MiniCluster
     * starts; a missing plugin or missing credentials stop the start here, before any server runs.
     */
    private void startS3FileSystem(StackConfig.Watch watch) {
        AwsCredentials credentials;
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            credentials = FlinkS3Plugin.credentials(chain, watch.dir());
        }
        FlinkS3Plugin.initialize(FlinkS3Plugin.pluginsRoot(), FlinkS3Plugin.settings(watch.s3(), credentials));
        stops.push(new NamedStop("flink s3 file system", FlinkS3Plugin::reset));
    }

    /** Starts Elasticsearch on its own thread, so the other parts start meanwhile; its stop is registered now. */
    private void startElasticsearch(Listener listener) {
        if (!config.search()) {
            elasticsearchReady.complete(null);
            return;
        }
        if (config.elasticsearch() != null) {
            elasticsearchUrl = ElasticsearchHealth.stripSlash(config.elasticsearch());
            elasticsearchReady.complete(elasticsearchUrl); // reported with the API, after the key's header
            return;
        }
        CompletableFuture<ElasticsearchServer> server = new CompletableFuture<>();
        long t = System.nanoTime();
        elasticsearchStarter = new Thread(() -> {
            try {
                ElasticsearchServer es = ElasticsearchServer.builder().directory(config.elasticsearchDir())
                        .port(config.elasticsearchPort()).start();
                server.complete(es);
                elasticsearchUrl = es.httpUrl();
                listener.partUp("elasticsearch", es.httpUrl() + " (data " + config.elasticsearchDir() + ")", since(t));
                elasticsearchReady.complete(es.httpUrl());
            } catch (Throwable e) {
                server.completeExceptionally(e);
                elasticsearchReady.completeExceptionally(e);
            }
        }, "elasticsearch-start");
        elasticsearchStarter.start();
        stops.push(new NamedStop("elasticsearch", () -> {
            elasticsearchStarter.interrupt(); // a start still waiting gives up and kills its process tree
            elasticsearchStarter.join(TimeUnit.SECONDS.toMillis(60));
            if (server.isDone() && !server.isCompletedExceptionally()) {
                server.join().close();
            }
        }));
    }

    static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String topic : List.of(Topics.ASSETS, Topics.REQUESTS, Topics.RESULTS, Topics.INGEST)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(TOPIC_PARTITIONS), Optional.empty())))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** The default account's key ({@code <data-dir>/api-key}). */
    public String apiKey() {
        return apiKey;
    }

    /** The data directory of the PostgreSQL this stack runs, or null when it uses an external database. */
    public Path postgresData() {
        return config.jdbcUrl() == null ? PostgresServer.dataDirectoryIn(config.postgresDir()) : null;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    public String kafkaBootstrapServers() {
        return kafka;
    }

    public String elasticsearchUrl() {
        return elasticsearchUrl;
    }

    /** The API's own connection pool (the benches time a bare query through it). */
    public javax.sql.DataSource apiDataSource() {
        return api.db().dataSource();
    }

    public StackConfig config() {
        return config;
    }

    /** Stops every part, newest first; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A start given up on an interrupt (Ctrl-C while starting) still stops every part in order.
        boolean interrupted = Thread.interrupted();
        long t0 = System.nanoTime();
        try {
            StackState.delete(config.dataDir());
        } catch (RuntimeException e) {
            LOG.warn("cannot delete the state file", e);
        }
        while (!stops.isEmpty()) {
            NamedStop s = stops.pop();
            long t = System.nanoTime();
            try {
                s.stop().close();
                LOG.info("{} stopped in {} ms", s.name(), since(t).toMillis());
            } catch (Exception e) {
                LOG.warn("stopping {} failed", s.name(), e);
            }
        }
        LOG.info("stack stopped in {} ms", since(t0).toMillis());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
