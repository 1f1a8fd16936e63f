package io.tonearm.launcher.up;

import io.tonearm.sinks.blobs.S3Location;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Flink's S3 file system for {@code tonearm up --watch s3://…}: the {@code flink-s3-fs-presto} plugin, which the
 * launcher's build copies to {@code target/flink-plugins/s3-fs-presto/} beside the launcher's jar (never onto
 * {@code lib/}: it bundles unrelocated Guava, Jackson, httpclient and Hadoop), loaded in a class loader of its own as
 * a Flink cluster loads its plugins folder. A MiniCluster loads no plugins, so {@link #initialize} does it for this
 * JVM before the job starts.
 *
 * <p>Its settings come from the bucket's {@link S3Location} (the blob store's parsing: endpoint, path style) and
 * from the credentials the blob store's AWS SDK default chain finds ({@link #settings}), mapped onto the plugin's
 * {@code s3.*} keys. The plugin (Presto 0.272 inside) has no option for a session token or a signing region: see
 * {@link #settings}.
 */
final class FlinkS3Plugin {
    /** The plugin's sub-folder of the plugins folder, as Flink's images name it. */
    static final String FOLDER = "s3-fs-presto";
    private static final String JAR_PREFIX = "flink-s3-fs-presto";

    private FlinkS3Plugin() {
    }

    /**
     * {@code flink-plugins/} beside the launcher's code: {@code launcher/target/flink-plugins} for the jar the
     * {@code tonearm} script runs ({@code target/tonearm-launcher.jar}) and for the tests ({@code target/classes}).
     */
    static Path pluginsRoot() {
        try {
            Path code = Path.of(FlinkS3Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent().resolve("flink-plugins");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the launcher's code is: " + e.getMessage(), e);
        }
    }

    /**
     * Flink's {@code s3.*} keys for {@code where}: its endpoint (for AWS, the region's endpoint, as the prod overlay
     * sets it), its addressing, and the credentials. Basic credentials go in as {@code s3.access-key} and
     * {@code s3.secret-key}; temporary ones (a role, a session) cannot, the plugin taking no session token, so the
     * plugin is told to use its own default chain instead (environment, profile, container or instance role), which
     * refreshes them.
     *
     * <p>With an endpoint the plugin signs for the region its host name names (us-east-1 for MinIO, S3Proxy and
     * other hosts that name none), whatever {@code TONEARM_S3_REGION} says.
     */
    static Configuration settings(S3Location where, AwsCredentials credentials) {
        Configuration config = new Configuration();
        config.setString("s3.endpoint", where.endpoint() != null ? where.endpoint().toString()
                : "https://s3." + where.region() + ".amazonaws.com");
        config.setString("s3.path.style.access", Boolean.toString(where.pathStyle()));
        if (credentials instanceof AwsSessionCredentials) {
            config.setString("s3.use-instance-credentials", "false");
        } else {
            config.setString("s3.access-key", credentials.accessKeyId());
            config.setString("s3.secret-key", credentials.secretAccessKey());
        }
        return config;
    }

    /**
     * What {@code chain} (the AWS SDK's default chain, as the blob store uses) finds now; none is a start-up error
     * naming where credentials are looked for.
     */
    static AwsCredentials credentials(AwsCredentialsProvider chain, String watched) {
        try {
            return chain.resolveCredentials();
        } catch (RuntimeException e) {
            throw new IllegalStateException("--watch " + watched + ": no AWS credentials found for the bucket: set"
                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile or role (the AWS SDK's default chain,"
                    + " as for the blob store): " + e.getMessage(), e);
        }
    }

    /**
     * Makes Flink's file systems of this JVM those of {@code pluginsRoot} (the S3 plugin in {@link #FOLDER}) with
     * {@code settings}; a missing plugin is an {@link IllegalStateException} naming the folder it should be in.
     */
    static void initialize(Path pluginsRoot, Configuration settings) {
        Path folder = pluginsRoot.resolve(FOLDER);
        if (!holdsPluginJar(folder)) {
            throw new IllegalStateException("--watch s3://… needs Flink's S3 file system plugin, but " + folder
                    + " holds no " + JAR_PREFIX + " jar (the launcher's build copies it there: ./mvnw -pl launcher -am"
                    + " -DskipTests package)");
        }
        try {
            FileSystem.initialize(settings, new DefaultPluginManager(new DirectoryBasedPluginFinder(pluginsRoot).findPlugins(),
                    PluginConfig.fromConfiguration(settings).getAlwaysParentFirstPatterns()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the Flink plugins in " + pluginsRoot, e);
        }
    }

    /** Back to Flink's built-in file systems (no plugins, default settings), as before {@link #initialize}. */
    static void reset() {
        FileSystem.initialize(new Configuration(), null);
    }

    private static boolean holdsPluginJar(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).anyMatch(n -> n.startsWith(JAR_PREFIX) && n.endsWith(".jar"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
