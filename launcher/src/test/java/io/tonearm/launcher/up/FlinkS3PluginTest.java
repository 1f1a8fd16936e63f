package io.tonearm.launcher.up;

import io.tonearm.sinks.blobs.S3Location;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@code up --watch s3://…} configures Flink's S3 plugin, and that the build puts the plugin where {@code up}
 * looks, off the class path. (StackEndToEndTest scans a bucket with it.)
 */
class FlinkS3PluginTest {

    @TempDir
    Path tmp;

    @Test
    void aServerWithBasicCredentialsGetsEndpointAddressingAndKeys() {
        S3Location minio = S3Location.parse("s3://catalog?endpoint=http://minio:9000", Map.of());
        Configuration settings = FlinkS3Plugin.settings(minio, AwsBasicCredentials.create("AKIA1", "s3cr3t"));
        assertThat(settings.toMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "s3.endpoint", "http://minio:9000",
                "s3.path.style.access", "true",
                "s3.access-key", "AKIA1",
                "s3.secret-key", "s3cr3t"));
    }

    @Test
    void awsGetsItsRegionsEndpointAndTemporaryCredentialsAreLeftToThePluginsOwnChain() {
        S3Location aws = S3Location.parse("s3://catalog", Map.of("TONEARM_S3_REGION", "eu-west-1"));
        Configuration settings = FlinkS3Plugin.settings(aws, AwsSessionCredentials.create("ASIA1", "s3cr3t", "token"));
        assertThat(settings.toMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "s3.endpoint", "https://s3.eu-west-1.amazonaws.com",
                "s3.path.style.access", "false",
                "s3.use-instance-credentials", "false"));
    }

    @Test
    void noCredentialsIsAStartUpErrorSayingWhereTheyAreLookedFor() {
        assertThatThrownBy(() -> FlinkS3Plugin.credentials(() -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        }, "s3://catalog/music"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--watch s3://catalog/music: no AWS credentials")
                .hasMessageContaining("AWS_ACCESS_KEY_ID");
    }

    @Test
    void aMissingPluginIsAStartUpErrorNamingItsFolder() throws Exception {
        Configuration settings = new Configuration();
        assertThatThrownBy(() -> FlinkS3Plugin.initialize(tmp, settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(tmp.resolve("s3-fs-presto").toString())
                .hasMessageContaining("flink-s3-fs-presto");
        Files.createDirectories(tmp.resolve("s3-fs-presto"));
        Files.writeString(tmp.resolve("s3-fs-presto/README"), "not a jar");
        assertThatThrownBy(() -> FlinkS3Plugin.initialize(tmp, settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no flink-s3-fs-presto jar");
    }

    @Test
    void theBuildPutsThePluginBesideTheLauncherAndNotOnItsClassPath() throws Exception {
        Path folder = FlinkS3Plugin.pluginsRoot().resolve(FlinkS3Plugin.FOLDER);
        assertThat(folder).isEqualTo(Path.of("target/flink-plugins/s3-fs-presto").toAbsolutePath());
        try (var jars = Files.list(folder)) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .singleElement().satisfies(n -> assertThat(n).startsWith("flink-s3-fs-presto-").endsWith(".jar"));
        }
        assertThatThrownBy(() -> Class.forName("org.apache.flink.fs.s3presto.S3FileSystemFactory"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
