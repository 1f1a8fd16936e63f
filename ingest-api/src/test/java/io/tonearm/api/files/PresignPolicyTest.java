package io.tonearm.api.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PresignPolicyTest {
    private final PresignPolicy policy = PresignPolicy.builder().build();

    private FieldError onlyError(PresignRequest request) {
        PresignValidationException e = org.junit.jupiter.api.Assertions.assertThrows(
                PresignValidationException.class, () -> policy.validate(request));
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void aGoodRequestIsNormalized() {
        ValidPresign valid = policy.validate(
                new PresignRequest("  My Song (final).MP3 ", "Audio/MPEG; codecs=mp3", 5_000_000L, "Analysis"));
        assertThat(valid).isEqualTo(new ValidPresign("My Song (final).MP3", "audio/mpeg", 5_000_000L, "analysis"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio/wav", "audio/x-flac", "video/mp4", "video/quicktime", "application/octet-stream"})
    void audioVideoAndOctetStreamAreAccepted(String type) {
        assertThat(policy.validate(new PresignRequest("a", type, 1L, "analysis")).contentType()).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "image/png", "application/json", "application/x-sh", "multipart/form-data"})
    void otherTypesAreNotAllowed(String type) {
        FieldError error = onlyError(new PresignRequest("a", type, 1L, "analysis"));
        assertThat(error.field()).isEqualTo("content_type");
        assertThat(error.code()).isEqualTo("not_allowed");
        assertThat(error.message()).contains(type).contains("audio/*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio", "audio/", "/mpeg", "audio/*", "*/*", "audio/mp eg", "audio/mpeg/x"})
    void malformedTypesAreInvalid(String type) {
        FieldError error = onlyError(new PresignRequest("a", type, 1L, "analysis"));
        assertThat(error.code()).isEqualTo("invalid");
    }

    @Test
    void theSizeLimitIs500MibByDefaultAndConfigurable() {
        long limit = 500L * 1024 * 1024;
        assertThat(policy.validate(new PresignRequest("a", "audio/wav", limit, "analysis")).fileSize())
                .isEqualTo(limit);
        FieldError tooBig = onlyError(new PresignRequest("a", "audio/wav", limit + 1, "analysis"));
        assertThat(tooBig.field()).isEqualTo("file_size");
        assertThat(tooBig.code()).isEqualTo("too_large");
        assertThat(tooBig.message()).contains("500 MiB");

        PresignPolicy small = PresignPolicy.builder().maxFileSize(1000).build();
        assertThatThrownBy(() -> small.validate(new PresignRequest("a", "audio/wav", 1001L, "analysis")))
                .isInstanceOfSatisfying(PresignValidationException.class, e -> {
                    assertThat(e.isOnlyTooLarge()).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(413);
                    assertThat(e.code()).isEqualTo("file_too_large");
                });
        assertThat(onlyError(new PresignRequest("a", "audio/wav", 0L, "analysis")).code()).isEqualTo("invalid");
        assertThat(onlyError(new PresignRequest("a", "audio/wav", -5L, "analysis")).code()).isEqualTo("invalid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "a/b.mp3", "a\\b.mp3", "..", ".", "song\u0000.mp3", "song\r\n.mp3",
        "evil\u202E3pm.exe", "x\u2066y"})
    void unsafeFileNamesAreInvalid(String name) {
        FieldError error = onlyError(new PresignRequest(name, "audio/mpeg", 1L, "analysis"));
        assertThat(error.field()).isEqualTo("file_name");
        assertThat(error.code()).isEqualTo("invalid");
    }

    @Test
    void longNamesAreInvalidAndUnicodeNamesFine() {
        assertThat(onlyError(new PresignRequest("a".repeat(256), "audio/mpeg", 1L, "analysis")).code())
                .isEqualTo("invalid");
        assertThat(policy.validate(new PresignRequest("Ça plane pour moi – 夜.flac", "audio/flac", 1L, "analysis"))
                .fileName()).isEqualTo("Ça plane pour moi – 夜.flac");
    }

    @Test
    void purposesComeFromAnAllowList() {
        FieldError error = onlyError(new PresignRequest("a", "audio/mpeg", 1L, "bitcoin-mining"));
        assertThat(error.field()).isEqualTo("purpose");
        assertThat(error.code()).isEqualTo("not_allowed");
        assertThat(error.message()).contains("analysis");
        PresignPolicy custom = PresignPolicy.builder().purposes(Set.of("stems")).build();
        assertThat(custom.validate(new PresignRequest("a", "audio/mpeg", 1L, "stems")).purpose()).isEqualTo("stems");
    }

    @Test
    void everyMissingFieldIsReportedAtOnce() {
        PresignValidationException e = org.junit.jupiter.api.Assertions.assertThrows(
                PresignValidationException.class, () -> policy.validate(new PresignRequest(null, " ", null, null)));
        assertThat(e.errors()).extracting(FieldError::field)
                .containsExactly("file_name", "content_type", "file_size", "purpose");
        assertThat(e.errors()).extracting(FieldError::code).containsOnly("required");
        assertThat(e.isOnlyTooLarge()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("invalid_request");
        assertThat(e.getMessage()).contains("file_name is required").contains("purpose is required");
    }

    @Test
    void nonsenseConfigurationIsRefused() {
        assertThatThrownBy(() -> PresignPolicy.builder().urlLifetime(Duration.ZERO).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PresignPolicy.builder().purposes(Set.of()).build())
                .isInstanceOf(IllegalStateException.class);
    }
}
