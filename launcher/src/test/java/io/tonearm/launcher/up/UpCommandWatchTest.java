package io.tonearm.launcher.up;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code tonearm up --watch}: a directory, a {@code file:} URI or an {@code s3://} bucket whose settings are read as
 * the blob store reads its own; anything else is a usage error before anything starts.
 */
class UpCommandWatchTest {

    @TempDir
    Path dataDir;

    @Test
    void aDirectoryBecomesAnAbsoluteFileUri() {
        StackConfig.Watch watch = config("--watch", "rel/music").watch();
        assertThat(watch.dir()).isEqualTo(Path.of("rel/music").toAbsolutePath().toUri().toString());
        assertThat(watch.s3()).isNull();
        assertThat(watch.account()).isEqualTo(StackConfig.Watch.DEFAULT_ACCOUNT);
        assertThat(config("--watch", "file:///srv/catalog", "--account", "label").watch())
                .isEqualTo(new StackConfig.Watch("file:///srv/catalog", "label", null));
    }

    @Test
    void aBucketIsListedWithoutItsQueryAndReachedWithItsSettings() {
        StackConfig.Watch watch = config("--watch", "s3://catalog/music/2024?endpoint=http://127.0.0.1:9000&path_style=true").watch();
        assertThat(watch.dir()).isEqualTo("s3://catalog/music/2024");
        assertThat(watch.s3().bucket()).isEqualTo("catalog");
        assertThat(watch.s3().endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(watch.s3().pathStyle()).isTrue();
        assertThat(watch.describe()).isEqualTo("s3://catalog/music/2024 at http://127.0.0.1:9000");
        assertThat(StackConfig.Watch.of("s3://catalog", null, Map.of()).dir()).isEqualTo("s3://catalog/");
    }

    @Test
    void theEnvironmentGivesABucketTheBlobStoresSettingsAndTheQueryWins() {
        StackConfig.Watch minio = StackConfig.Watch.of("s3://catalog/music", null, Map.of("TONEARM_S3_ENDPOINT", "http://minio:9000"));
        assertThat(minio.s3().endpoint()).isEqualTo(URI.create("http://minio:9000"));
        assertThat(minio.s3().pathStyle()).as("the default with an endpoint").isTrue();

        StackConfig.Watch aws = StackConfig.Watch.of("s3://catalog/music", null, Map.of("TONEARM_S3_REGION", "eu-west-1"));
        assertThat(aws.s3().endpoint()).isNull();
        assertThat(aws.s3().region()).isEqualTo("eu-west-1");
        assertThat(aws.s3().pathStyle()).isFalse();
        assertThat(aws.describe()).isEqualTo("s3://catalog/music (AWS, eu-west-1)");

        StackConfig.Watch both = StackConfig.Watch.of("s3://catalog/music?endpoint=http://other:9000&path_style=false", null,
                Map.of("TONEARM_S3_ENDPOINT", "http://minio:9000", "TONEARM_S3_PATH_STYLE", "true"));
        assertThat(both.s3().endpoint()).isEqualTo(URI.create("http://other:9000"));
        assertThat(both.s3().pathStyle()).isFalse();
    }

    @Test
    void anotherSchemeIsAUsageErrorNamingIt() {
        for (String scheme : new String[] {"hdfs", "gs", "http", "s3a"}) {
            assertThatThrownBy(() -> config("--watch", scheme + "://user:pw@host/music"))
                    .isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining("--watch: the scheme '" + scheme + "' is not supported")
                    .hasMessageContaining("s3://BUCKET/PREFIX")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw@"));
        }
    }

    @Test
    void bucketSettingsThatCannotWorkAreUsageErrorsBeforeAnythingStarts() {
        Map<String, String> bad = Map.of(
                "s3://key:secret@catalog/music", "credentials do not belong",
                "s3://Catalog_2024/music", "naming rules",
                "s3:///music", "names no bucket",
                "s3://catalog:9000/music", "must not name a port",
                "s3://catalog/music?endpoint=ftp://files", "must be http(s)://HOST[:PORT]",
                "s3://catalog/music?token=abc", "unknown setting 'token'",
                "s3://catalog/my music", "not a valid s3:// URI");
        bad.forEach((location, reason) -> assertThatThrownBy(() -> config("--watch", location))
                .as(location)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--watch: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret@").doesNotContain("blob store")));
        assertThatThrownBy(() -> StackConfig.Watch.of("s3://catalog/music", null, Map.of("TONEARM_S3_ENDPOINT", "minio:9000")))
                .hasMessageContaining("--watch: invalid S3 location");
    }

    private StackConfig config(String... args) {
        return UpCommandArgs.config(dataDir, args);
    }
}
