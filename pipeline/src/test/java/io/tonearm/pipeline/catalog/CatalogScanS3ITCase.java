package io.tonearm.pipeline.catalog;

import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.S3Server;
import io.tonearm.pipeline.analysis.PipelineFixture;
import io.tonearm.pipeline.catalog.register.Registered;
import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.blobs.BlobStores;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The catalog-scan job on a MiniCluster scanning a bucket ({@code s3://…} on S3Proxy, {@link LocalStack#s3()})
 * through Flink's presto S3 file system, loaded as a plugin from {@code target/flink-plugins} the way the Kubernetes
 * images load it: objects under the prefix, nested "folders" (key prefixes) included, are registered once each with
 * the SHA-256 of their bytes and their bytes in the (S3) blob store; an object overwritten with other bytes becomes a
 * new recording; unchanged objects are not registered again by later scans.
 */
class CatalogScanS3ITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final Duration SCAN = Duration.ofMillis(300);
    private static final String CATALOG_BUCKET = "catalog";
    private static final String BLOB_BUCKET = "scanned-blobs";

    @TempDir
    static Path work;
    static PipelineFixture f;
    static UUID account;
    static S3Server s3;
    static S3Client client;
    static String prefix;
    static String blobStore;
    static JobClient job;

    @BeforeAll
    static void start() throws Exception {
        Path plugins = pluginsFolder();
        s3 = LocalStack.shared().s3();
        s3.createBucket(CATALOG_BUCKET);
        s3.createBucket(BLOB_BUCKET);
        f = new PipelineFixture(work);
        account = f.account();
        prefix = "scan-" + f.suffix + "/music";
        blobStore = s3.location(BLOB_BUCKET, "blobs-" + f.suffix);
        client = S3Client.builder().httpClient(ApacheHttpClient.create())
                .endpointOverride(URI.create(s3.endpoint())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build();
        initializeS3FileSystem(plugins);
    }

    /**
     * {@code target/flink-plugins}, which the build fills (pipeline/pom.xml); a run outside Maven (an IDE) without it
     * skips, a Maven run without it is a broken build and fails.
     */
    private static Path pluginsFolder() {
        String configured = System.getProperty("tonearm.flink.plugins.dir");
        Path plugins = Path.of(configured != null ? configured : "target/flink-plugins");
        boolean present = Files.isDirectory(plugins.resolve("s3-fs-presto"));
        if (configured == null) {
            assumeTrue(present, "no Flink S3 plugin in " + plugins + " (`./mvnw -pl pipeline -am test-compile` copies it)");
        } else {
            assertThat(plugins.resolve("s3-fs-presto")).as("the build copies flink-s3-fs-presto here").isDirectory();
        }
        return plugins;
    }

    /**
     * What a Flink cluster does at start with its plugins folder and flinkConfiguration (the FlinkDeployment's
     * {@code s3.*} keys): a MiniCluster does neither, so the test does it for this JVM.
     */
    private static void initializeS3FileSystem(Path plugins) throws Exception {
        Configuration config = new Configuration();
        config.setString("s3.endpoint", s3.endpoint());
        config.setString("s3.path.style.access", "true");
        config.setString("s3.access-key", s3.accessKey());
        config.setString("s3.secret-key", s3.secretKey());
        FileSystem.initialize(config, new DefaultPluginManager(new DirectoryBasedPluginFinder(plugins).findPlugins(),
                PluginConfig.fromConfiguration(config).getAlwaysParentFirstPatterns()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (job != null) job.cancel().get(30, TimeUnit.SECONDS);
        // back to the file systems every other test class of this JVM expects
        FileSystem.initialize(new Configuration(), null);
        if (client != null) client.close();
        if (f != null) f.close();
    }

    @Test
    void registersEachObjectOnceAndAnOverwrittenObjectAsANewRecording() throws Exception {
        byte[] a = wav("a", 220);
        byte[] b = wav("b", 330);
        put("a.wav", a);
        put("album/b.wav", b);
        put("notes.txt", "not listed: no audio extension".getBytes());

        job = run();
        await("two assets", Duration.ofSeconds(60), () -> assets() == 2);
        assertRegistered("a.wav", a);
        assertRegistered("b.wav", b);
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ? AND kind = 'analysis'", account)).isEqualTo(2);

        // Other bytes of the same size under the same key (S3 lists whole-second mtimes: the scan tells the versions
        // apart by the upload second alone): a new recording. Then a third object, whose registration shows that the
        // scans in between listed the unchanged ones again.
        byte[] a2 = wav("a-new", 660);
        put("a.wav", a2);
        await("the overwritten object registered", Duration.ofSeconds(30), () -> assets() == 3);
        assertRegistered("a.wav", a2);
        put("album/c.wav", wav("c", 440));
        await("a later object registered", Duration.ofSeconds(30), () -> assets() == 4);

        assertThat(outcomes()).filteredOn(o -> o.source().endsWith("/album/b.wav"))
                .as("the unchanged object, over many scans").singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo("registered"));
        assertThat(outcomes()).extracting(Registered::status).containsOnly("registered").hasSize(4);
        assertThat(outcomes()).extracting(Registered::source)
                .allSatisfy(s -> assertThat(s).startsWith("s3://" + CATALOG_BUCKET + "/" + prefix + "/"));
        assertThat(f.count("SELECT count(*) FROM jobs WHERE account_id = ?", account)).isEqualTo(4);
        assertThat(f.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1'")).isEqualTo(4);
    }

    /** This class's outcomes (the collecting sink is shared by the JVM's catalog tests). */
    private static List<Registered> outcomes() {
        return CollectingOutcomes.OUTCOMES.stream().filter(o -> o.source().contains("/" + prefix + "/")).toList();
    }

    /**
     * One asset with this name has these bytes' SHA-256, probed (from the copy the S3 store's put keeps in its cache),
     * and the blob store gives those bytes back.
     */
    private static void assertRegistered(String filename, byte[] bytes) throws Exception {
        String sha = AnalysisRunner.sha256(write(filename + "-expected", bytes));
        assertThat(f.count("SELECT count(*) FROM assets WHERE account_id = ? AND filename = ? AND sha256 = ? "
                + "AND status = 'ready' AND sample_rate = 22050 AND channels = 1", account, filename, sha)).isEqualTo(1);
        BlobStore store = BlobStores.open(blobStore, Map.of(BlobStores.CACHE_DIR_ENV, work.resolve("blob-cache").toString()));
        try (InputStream in = store.open(sha)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    private static byte[] wav(String name, double hz) throws Exception {
        return Files.readAllBytes(f.sine(work, name, hz, 0.5, 0.5));
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(work.resolve(name), bytes);
    }

    private static void put(String key, byte[] bytes) {
        client.putObject(r -> r.bucket(CATALOG_BUCKET).key(prefix + "/" + key), RequestBody.fromBytes(bytes));
    }

    private static long assets() {
        return f.count("SELECT count(*) FROM assets WHERE account_id = ?", account);
    }

    private static JobClient run() throws Exception {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        CatalogScanJob.configure(env, SCAN);
        CatalogScanJob.builder()
                .directory("s3://" + CATALOG_BUCKET + "/" + prefix + "/", SCAN)
                .postgres(f.pg, blobStore, account)
                .outcomes(new CollectingOutcomes())
                .build().addTo(env);
        return env.executeAsync("catalog-scan-s3-" + f.suffix);
    }
}
