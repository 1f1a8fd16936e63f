package io.tonearm.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Through the AWS SDK, as the blob store talks to it. */
class S3ServerTest {

    @Test
    void theSharedServerStoresObjectsAndChecksSignatures() {
        S3Server s3 = LocalStack.shared().s3();
        assertThat(LocalStack.shared().s3()).isSameAs(s3);
        s3.createBucket("check");
        try (S3Client client = client(s3, s3.secretKey())) {
            client.putObject(r -> r.bucket("check").key("a/b.txt"), RequestBody.fromString("hello"));
            assertThat(client.getObjectAsBytes(r -> r.bucket("check").key("a/b.txt")).asString(StandardCharsets.UTF_8))
                    .isEqualTo("hello");
        }
        try (S3Client wrongSecret = client(s3, "not-the-secret")) {
            assertThatThrownBy(() -> wrongSecret.getObjectAsBytes(r -> r.bucket("check").key("a/b.txt")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
        assertThat(System.getProperty("aws.accessKeyId")).as("published for the SDK's default chain").isEqualTo(s3.accessKey());
    }

    @Test
    void aPersistentServerKeepsItsObjectsAcrossARestartAndLeavesNoProcess(@TempDir Path dir) throws Exception {
        long pid;
        try (S3Server first = S3Server.builder().directory(dir).start()) {
            pid = first.pid();
            first.createBucket("kept");
            try (S3Client client = client(first, first.secretKey())) {
                client.putObject(r -> r.bucket("kept").key("x"), RequestBody.fromString("still here"));
            }
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the server JVM is gone").isEmpty();
        try (S3Server second = S3Server.builder().directory(dir).start();
             S3Client client = client(second, second.secretKey())) {
            assertThat(client.getObjectAsBytes(r -> r.bucket("kept").key("x")).asString(StandardCharsets.UTF_8))
                    .isEqualTo("still here");
        }
    }

    @Test
    void refusesBucketNamesThatCouldEscapeItsDirectory() {
        S3Server s3 = LocalStack.shared().s3();
        assertThatThrownBy(() -> s3.createBucket("../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    private static S3Client client(S3Server s3, String secret) {
        return S3Client.builder()
                .httpClient(ApacheHttpClient.create())
                .endpointOverride(URI.create(s3.endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secret)))
                .build();
    }
}
