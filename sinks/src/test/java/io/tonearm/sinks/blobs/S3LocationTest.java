package io.tonearm.sinks.blobs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3LocationTest {

    private static final String SHA = "ab".repeat(32);

    @Test
    void aBucketAndPrefixNameEachBlobsKeyAndLocation() {
        S3Location l = S3Location.parse("s3://tonearm-blobs/prod/blobs", Map.of());

        assertThat(l.bucket()).isEqualTo("tonearm-blobs");
        assertThat(l.prefix()).isEqualTo("prod/blobs/");
        assertThat(l.keyOf(SHA)).isEqualTo("prod/blobs/" + SHA);
        assertThat(l.uriOf(SHA)).isEqualTo(URI.create("s3://tonearm-blobs/prod/blobs/" + SHA));
        assertThat(l.endpoint()).as("AWS").isNull();
        assertThat(l.region()).isEqualTo("us-east-1");
        assertThat(l.pathStyle()).isFalse();
        assertThat(S3Location.parse("s3://b-1", Map.of()).keyOf(SHA)).isEqualTo(SHA);
        assertThat(S3Location.parse("s3://b-1/", Map.of()).prefix()).isEmpty();
    }

    @Test
    void settingsComeFromTheEnvironmentAndTheLocationsQueryWins() {
        Map<String, String> env = Map.of("TONEARM_S3_ENDPOINT", "https://minio.internal:9000",
                "AWS_REGION", "eu-west-1", "TONEARM_S3_PATH_STYLE", "false");

        S3Location fromEnv = S3Location.parse("s3://blobs/p", env);
        assertThat(fromEnv.endpoint()).isEqualTo(URI.create("https://minio.internal:9000"));
        assertThat(fromEnv.region()).isEqualTo("eu-west-1");
        assertThat(fromEnv.pathStyle()).isFalse();

        S3Location fromQuery = S3Location.parse("s3://blobs/p?endpoint=http%3A%2F%2F127.0.0.1%3A9100&region=local-1&path_style=true", env);
        assertThat(fromQuery.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9100"));
        assertThat(fromQuery.region()).isEqualTo("local-1");
        assertThat(fromQuery.pathStyle()).isTrue();

        assertThat(S3Location.parse("s3://blobs", Map.of("TONEARM_S3_ENDPOINT", "http://ceph:7480")).pathStyle())
                .as("path-style by default on a custom endpoint").isTrue();
        assertThat(S3Location.parse("s3://blobs", Map.of("TONEARM_S3_REGION", "ap-south-1", "AWS_REGION", "eu-west-1")).region())
                .isEqualTo("ap-south-1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "s3://                                   | names no bucket",
            "s3:///prefix                            | names no bucket",
            "s3://AKIA:secret@bucket/p               | credentials do not belong",
            "s3://bucket:9000/p                      | must not name a port",
            "s3://Bucket/p                           | naming rules",
            "s3://b/p                                | naming rules",
            "s3://my_bucket/p                        | naming rules",
            "s3://192.168.1.10/p                     | naming rules",
            "s3://bucket/../etc                      | key prefix",
            "s3://bucket/a//b                        | key prefix",
            "s3://bucket/a/./b                       | key prefix",
            "s3://bucket/a%2F..%2Fb                  | percent-encoded",
            "s3://bucket/a b                         | not a valid URI",
            "s3://bucket/p#frag                      | fragment",
            "s3://bucket/p?secret_key=x              | unknown setting",
            "s3://bucket/p?region=a&region=b         | appears twice",
            "s3://bucket/p?endpoint=file:///etc      | must be http(s)",
            "s3://bucket/p?endpoint=ftp://host       | must be http(s)",
            "s3://bucket/p?endpoint=http://u:p@host  | credentials do not belong",
            "s3://bucket/p?endpoint=http://host/path | without a path",
            "s3://bucket/p?region=EU%20West          | not a region",
            "s3://bucket/p?path_style=yes            | true or false",
            "http://bucket/p                         | not an s3:// location",
    })
    void hostileOrBrokenLocationsAreRefusedWithTheReason(String location, String reason) {
        assertThatThrownBy(() -> S3Location.parse(location, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid blob store location")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret@"));
    }

    @Test
    void aBadEndpointInTheEnvironmentIsRefusedToo() {
        assertThatThrownBy(() -> S3Location.parse("s3://bucket", Map.of("TONEARM_S3_ENDPOINT", "minio:9000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be http(s)");
    }
}
