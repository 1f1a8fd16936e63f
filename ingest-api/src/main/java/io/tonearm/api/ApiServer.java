package io.tonearm.api;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.json.JavalinJackson;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.api.accounts.AccountRoutes;
import io.tonearm.api.accounts.AccountService;
import io.tonearm.api.accounts.BearerAuth;
import io.tonearm.api.accounts.Caller;
import io.tonearm.api.assets.AssetRoutes;
import io.tonearm.api.assets.AssetService;
import io.tonearm.api.blobs.BlobCollector;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.api.renditions.RenditionRoutes;
import io.tonearm.api.renditions.Renditions;
import io.tonearm.analysis.decode.FfmpegPrograms;
import io.tonearm.sinks.credits.CreditLedger;
import io.tonearm.api.credits.CreditsAccountSection;
import io.tonearm.api.errors.ErrorResponses;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.api.files.FileRoutes;
import io.tonearm.api.jobs.JobChanges;
import io.tonearm.api.jobs.JobRefunds;
import io.tonearm.api.jobs.JobResults;
import io.tonearm.api.jobs.JobRoutes;
import io.tonearm.api.jobs.JobService;
import io.tonearm.api.jobs.JobStore;
import io.tonearm.api.outputs.JobOutputs;
import io.tonearm.api.outputs.OutputRoutes;
import io.tonearm.api.outputs.OutputSettings;
import io.tonearm.api.processing.ProcessingRoutes;
import io.tonearm.api.processing.ProcessingService;
import io.tonearm.api.webhooks.DeliveryWorker;
import io.tonearm.api.webhooks.WebhookRoutes;
import io.tonearm.api.webhooks.WebhookService;
import io.tonearm.sinks.postgres.JobRepository;
import io.tonearm.sinks.postgres.ResultRepository;
import io.tonearm.api.files.SigningKeys;
import io.tonearm.sinks.fetch.AllowList;
import io.tonearm.sinks.fetch.SafeUrlFetcher;
import io.tonearm.sinks.fetch.UrlPolicy;
import io.tonearm.api.http.Json;
import io.tonearm.api.identify.IdentifyRoutes;
import io.tonearm.api.identify.NearDuplicatesSection;
import io.tonearm.api.http.Routes;
import io.tonearm.sinks.outbox.Outbox;
import io.tonearm.api.ratelimit.RateLimit;
import io.tonearm.api.ratelimit.RateLimiter;
import io.tonearm.api.search.SearchBackend;
import io.tonearm.api.search.SearchRoutes;
import io.tonearm.api.stream.StreamRoutes;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.api.system.ApiDocs;
import io.tonearm.api.system.HealthCheck;
import io.tonearm.api.system.Metrics;
import io.tonearm.api.system.RequestIds;
import io.tonearm.api.system.SystemRoutes;
import io.tonearm.sinks.postgres.Database;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every service from its dependencies (constructor injection, no globals),
 * registers each feature's routes (one line per feature) and the cross-cutting handlers: request ids and logs,
 * Bearer authentication and the PostgreSQL-backed rate limit on {@code /v1/*}, JSON errors.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final AccountService accounts;
    private final AssetService assets;
    private final Renditions renditions;
    private final RateLimiter rateLimiter;
    private final BlobCollector blobCollector;
    private final JobChanges jobChanges;
    private final DeliveryWorker webhookDeliveries;
    private final JobRefunds jobRefunds;
    private final FileRoutes fileRoutes;
    private final SearchBackend search;
    private final Metrics metrics = new Metrics();
    private final Routes routes = new Routes();
    /**
     * Jetty reads a request body into a buffer of this size (8 KB by default), each fill a read and a wake-up of the
     * handling thread; uploads are tens of MB. 64 KB took the JVM's CPU per uploaded GB from ≈6.0 to ≈5.0 s
     * ({@code tonearm bench api}, client and server in one JVM; 256 KB did no better). Pooled, held only while a
     * request is being read.
     */
    static final int INPUT_BUFFER_BYTES = 64 * 1024;

    private final Javalin app;
    private String listenHost;
    private int listenPort;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "api-housekeeping");
        t.setDaemon(true);
        return t;
    });

    public ApiServer(ApiConfig config, Database db, BlobStore blobs, Decoder decoder, List<HealthCheck> extraChecks) {
        this.accounts = new AccountService(db);
        this.rateLimiter = new RateLimiter(db);
        this.renditions = new Renditions(db, blobs, decoder, FfmpegPrograms::bundled, config.dataDir().resolve("renditions"),
                config.renditions());
        this.assets = new AssetService(db, blobs, new Outbox(), decoder, renditions, config::limits,
                config.probeAsyncAboveBytes());
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(HealthCheck.of("postgres", db::isHealthy));
        checks.add(HealthCheck.of("blob_store", blobs::isHealthy));
        checks.addAll(extraChecks);
        this.search = new SearchBackend(config.search());
        if (search.configured()) {
            checks.add(search);
        }

        UrlPolicy urlPolicy = UrlPolicy.builder().allowList(AllowList.of(config.urlAllowList())).build();
        SafeUrlFetcher fetcher = SafeUrlFetcher.builder(urlPolicy).maxBytes(config.largestUpload()).build();
        this.jobChanges = new JobChanges(db.dataSource());
        SigningKeys signingKeys = signingKeys(config);
        OutputSettings outputSettings = OutputSettings.configured();
        JobOutputs jobOutputs = new JobOutputs(db, signingKeys, config.publicBaseUrl(), outputSettings);
        JobService jobs = new JobService(new JobRepository(db.dataSource()), new JobStore(db),
                new JobResults(new ResultRepository(db.dataSource()), new JobStore(db)), jobChanges, jobOutputs);
        this.webhookDeliveries = new DeliveryWorker(db, SafeUrlFetcher.builder(urlPolicy)
                .totalTimeout(Duration.ofSeconds(15)).build(), DeliveryWorker.Settings.configured());
        this.fileRoutes = new FileRoutes(db, accounts, assets, signingKeys, config.publicBaseUrl(),
                config.largestUpload(), config::limits);
        CreditLedger credits = new CreditLedger(db, config.credits());
        this.jobRefunds = new JobRefunds(db, credits, Duration.ofSeconds(1));
        ProcessingService processing = new ProcessingService(db, new JobStore(db), jobs,
                new ResultRepository(db.dataSource()), new Outbox(), StandardAnalyzers.registry(), credits, assets);
        routes.register(new AssetRoutes(assets, fetcher, renditions, List.of(new NearDuplicatesSection(db))))
                .register(new RenditionRoutes((caller, id) -> assets.get(caller, id).id(), renditions, blobs))
                .register(new ProcessingRoutes(processing, assets, db, ProcessingRoutes.configuredWait()))
                .register(new IdentifyRoutes(processing, assets, db, blobs, decoder, ProcessingRoutes.configuredWait()))
                .register(new JobRoutes(jobs))
                .register(new OutputRoutes(jobOutputs, blobs, accounts))
                .register(new WebhookRoutes(new WebhookService(db, urlPolicy)))
                .register(fileRoutes)
                .register(new AccountRoutes(accounts, config::limits, List.of(new CreditsAccountSection(credits))))
                .register(new StreamRoutes(StandardAnalyzers.registry(), decoder, fetcher, config::limits, credits,
                        config.dataDir().resolve("stream"), config.stream()))
                .register(new SearchRoutes(search))
                .register(new SystemRoutes(checks, metrics))
                .register(new ApiDocs(routes::table, "1"));

        Path multipartDir = config.dataDir().resolve("multipart");
        try {
            Files.createDirectories(multipartDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BearerAuth auth = new BearerAuth(accounts);
        RateLimit rateLimit = new RateLimit(rateLimiter, config::limits);
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.jsonMapper(new JavalinJackson(Json.mapper(), false));
            // Multipart files spill to disk beyond 1 MB: a large direct upload never sits in the heap.
            c.jetty.multipartConfig.cacheDirectory(multipartDir.toString());
            c.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            c.jetty.multipartConfig.maxFileSize(config.largestUpload(), SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(config.largestUpload() + (1 << 20), SizeUnit.BYTES);
            c.jetty.addConnector((server, http) -> {
                HttpConnectionFactory factory = new HttpConnectionFactory(http);
                factory.setInputBufferSize(INPUT_BUFFER_BYTES);
                ServerConnector connector = new ServerConnector(server, factory);
                connector.setHost(listenHost); // set by start(), which runs this
                connector.setPort(listenPort);
                return connector;
            });
            c.requestLogger.http((ctx, ms) -> {
                String route = routeOf(ctx);
                metrics.increment("tonearm_http_requests_total", "HTTP requests by route and status", 1,
                        "method", ctx.method().name(), "route", route, "status", Integer.toString(ctx.statusCode()));
                metrics.observe("tonearm_http_request_duration_seconds", "HTTP request duration", ms / 1000.0,
                        "method", ctx.method().name(), "route", route);
                // The account (never the key) makes a support question answerable from the logs alone.
                LOG.info("{} {} {} {} ms request_id={} account={}", ctx.method(), ctx.path(), ctx.statusCode(),
                        String.format("%.1f", ms), RequestIds.of(ctx),
                        Caller.ifAuthenticated(ctx).map(who -> who.accountId().toString()).orElse("-"));
            });
            c.router.mount(r -> {
                r.before(RequestIds::assign);
                r.beforeMatched("/v1/*", auth);
                r.beforeMatched("/v1/*", rateLimit);
                ErrorResponses.register(r);
                routes.mountOn(r);
            });
        });
        metrics.gauge("tonearm_outbox_unpublished", "Outbox events not yet published to Kafka",
                () -> db.withConnection(c -> {
                    try (var st = c.createStatement();
                         var rs = st.executeQuery("SELECT count(*) FROM outbox WHERE published_at IS NULL")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }));
        this.blobCollector = new BlobCollector(db, blobs, outputSettings.retention());
        housekeeping.scheduleWithFixedDelay(this::runHousekeeping, 1, 1, TimeUnit.MINUTES);
    }

    /** Expires assets, frees unreferenced blobs, drops old rate-limit windows. Scheduled; callable by tests. */
    public void runHousekeeping() {
        try {
            while (assets.expireDue(500) == 500) {
                // more are due
            }
            blobCollector.collect(1000);
            fileRoutes.releaseAbandonedUploads();
            rateLimiter.purgeOlderThan(3600);
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed; retrying next round", e);
        }
    }

    private static SigningKeys signingKeys(ApiConfig config) {
        if (config.signingKeys() != null) {
            return SigningKeys.parse(config.signingKeys());
        }
        LOG.warn("no signing keys configured: presigned upload URLs will only work on this replica until it restarts");
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        return SigningKeys.of("ephemeral", java.util.Map.of("ephemeral", secret));
    }

    /** The matched route pattern (bounded label cardinality), or "unmatched". */
    private static String routeOf(io.javalin.http.Context ctx) {
        try {
            return ctx.endpointHandlerPath();
        } catch (IllegalStateException e) {
            return "unmatched";
        }
    }

    /** Starts listening (0 = a free port), resumes interrupted probes and starts the rendition workers. */
    public ApiServer start(int port) {
        listenHost = "127.0.0.1".equals(System.getProperty("tonearm.api.host")) ? "127.0.0.1" : "0.0.0.0";
        listenPort = port;
        app.start();
        assets.resumePendingProbes();
        renditions.start();
        webhookDeliveries.start();
        jobRefunds.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    public AccountService accounts() {
        return accounts;
    }

    /** Refunds failed and cancelled jobs (started with the server); tests may drain it directly. */
    public JobRefunds jobRefunds() {
        return jobRefunds;
    }

    /** The webhook delivery worker (started with the server); tests may drain it directly. */
    public DeliveryWorker webhookDeliveries() {
        return webhookDeliveries;
    }

    public Metrics metrics() {
        return metrics;
    }

    public List<Routes.Route> routeTable() {
        return routes.table();
    }

    @Override
    public void close() throws InterruptedException {
        app.stop();
        housekeeping.shutdownNow();
        webhookDeliveries.close();
        jobRefunds.close();
        jobChanges.close();
        assets.close();
        renditions.close();
        search.close();
    }
}
