package io.tonearm.api.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The presign flow end to end: request, URL, verification of the PUT, and the PUT's header and body checks. */
class PresignerTest {
    private static final Instant NOW = Instant.parse("2026-11-21T01:02:03.456Z");
    private final UploadUrlSigner signer = new UploadUrlSigner(URI.create("http://localhost:8080/v1/uploads/"),
            SigningKeys.of("k1", Map.of("k1", "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8))));
    private final Presigner presigner =
            new Presigner(PresignPolicy.builder().build(), signer, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void presignsAUrlThatVerifiesForAnHourWithTheDeclaredTypeAndSize() {
        PresignedUpload upload = presigner.presign("acct_1",
                new PresignRequest("take 3.wav", "audio/wav", 12_345L, "analysis"));
        PresignResponse response = upload.toResponse();

        assertThat(response.fileId()).matches("file_[a-z2-7]{26}");
        assertThat(response.uploadMethod()).isEqualTo("PUT");
        assertThat(response.headers()).isEqualTo(Map.of("Content-Type", "audio/wav"));
        assertThat(response.expiresAt()).isEqualTo(Instant.parse("2026-11-21T02:02:03Z"));
        assertThat(response.uploadUrl().toString()).startsWith("http://localhost:8080/v1/uploads/" + response.fileId());
        assertThat(upload.request().fileName()).isEqualTo("take 3.wav");

        UploadGrant grant = signer.verify(response.uploadUrl(), NOW.plus(Duration.ofMinutes(59)));
        assertThat(grant).isEqualTo(upload.grant());
        assertThat(grant.accountId()).isEqualTo("acct_1");
        assertThat(grant.sizeBytes()).isEqualTo(12_345L);
        assertThatThrownBy(() -> signer.verify(response.uploadUrl(), NOW.plus(Duration.ofMinutes(61))))
                .isInstanceOfSatisfying(UploadUrlException.class,
                        e -> assertThat(e.reason()).isEqualTo(UploadUrlException.Reason.EXPIRED));
    }

    @Test
    void fileIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(Presigner.newFileId());
        }
        assertThat(ids).hasSize(1_000);
    }

    @Test
    void invalidRequestsAreNotSigned() {
        assertThatThrownBy(() -> presigner.presign("acct_1",
                new PresignRequest("a.exe", "application/x-msdownload", 600L * 1024 * 1024, "analysis")))
                .isInstanceOfSatisfying(PresignValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field)
                                .containsExactly("content_type", "file_size"));
    }

    @Test
    void thePutMustMatchTheDeclaredTypeAndSize() {
        UploadGrant grant = presigner.presign("acct_1",
                new PresignRequest("a.mp3", "audio/mpeg", 100L, "analysis")).grant();

        grant.checkUpload("audio/mpeg", 100);
        grant.checkUpload("AUDIO/MPEG; charset=binary", -1);
        assertThatThrownBy(() -> grant.checkUpload("audio/wav", 100))
                .isInstanceOfSatisfying(UploadRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UploadRejectedException.Reason.WRONG_CONTENT_TYPE);
                    assertThat(e.reason().httpStatus()).isEqualTo(415);
                });
        assertThatThrownBy(() -> grant.checkUpload(null, 100))
                .isInstanceOfSatisfying(UploadRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UploadRejectedException.Reason.WRONG_CONTENT_TYPE));
        assertThatThrownBy(() -> grant.checkUpload("audio/mpeg", 101))
                .isInstanceOfSatisfying(UploadRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UploadRejectedException.Reason.WRONG_SIZE));
    }

    @Test
    void theBodyIsCountedWhateverTheHeadersSaid() throws Exception {
        assertThat(new ExactLengthInputStream(body(100), 100).readAllBytes()).hasSize(100);

        ExactLengthInputStream longer = new ExactLengthInputStream(body(10_000_000), 100);
        assertThatThrownBy(longer::readAllBytes).isInstanceOfSatisfying(UploadRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(UploadRejectedException.Reason.TOO_LARGE));
        assertThat(longer.bytesRead()).isEqualTo(101);

        assertThatThrownBy(() -> new ExactLengthInputStream(body(99), 100).readAllBytes())
                .isInstanceOfSatisfying(UploadRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UploadRejectedException.Reason.WRONG_SIZE));

        InputStream byByte = new ExactLengthInputStream(body(3), 2);
        byByte.read();
        byByte.read();
        assertThatThrownBy(byByte::read).isInstanceOf(UploadRejectedException.class);
    }

    private static InputStream body(int size) {
        return new ByteArrayInputStream(new byte[size]);
    }
}
