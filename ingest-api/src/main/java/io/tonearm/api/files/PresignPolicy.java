package io.tonearm.api.files;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rules for presigned uploads: file name, content type (audio, video or application/octet-stream), size limit
 * (500 MiB by default), purpose (from an allow-list) and how long an upload URL lives (1 h by default).
 * Immutable; build with {@link #builder()}.
 */
public final class PresignPolicy {
    public static final long DEFAULT_MAX_FILE_SIZE = 500L * 1024 * 1024;
    public static final Set<String> DEFAULT_PURPOSES =
            Set.of("analysis", "separation", "mastering", "transcription", "identification");
    private static final int MAX_NAME_LENGTH = 255;

    private final long maxFileSize;
    private final Duration urlLifetime;
    private final Set<String> purposes;

    private PresignPolicy(Builder b) {
        this.maxFileSize = b.maxFileSize;
        this.urlLifetime = b.urlLifetime;
        this.purposes = Set.copyOf(b.purposes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    public Duration urlLifetime() {
        return urlLifetime;
    }

    /** Checks every field; throws {@link PresignValidationException} listing all problems. */
    public ValidPresign validate(PresignRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String name = checkName(request.fileName(), errors);
        String type = checkContentType(request.contentType(), errors);
        long size = checkSize(request.fileSize(), errors);
        String purpose = checkPurpose(request.purpose(), errors);
        if (!errors.isEmpty()) {
            throw new PresignValidationException(errors);
        }
        return new ValidPresign(name, type, size, purpose);
    }

    private static String checkName(String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            errors.add(new FieldError("file_name", "required", "file_name is required"));
            return null;
        }
        String name = raw.strip();
        if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("file_name", "invalid",
                    "file_name must be at most " + MAX_NAME_LENGTH + " characters"));
        } else if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            errors.add(new FieldError("file_name", "invalid", "file_name must be a plain name, not a path"));
        } else if (name.codePoints().anyMatch(PresignPolicy::isUnsafeInName)) {
            errors.add(new FieldError("file_name", "invalid",
                    "file_name must not contain control or text-direction characters"));
        }
        return name;
    }

    /** Control characters break headers and logs; bidi overrides disguise extensions ("mp3.exe" shown as "exe.3pm"). */
    private static boolean isUnsafeInName(int c) {
        return Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E || c == 0x200F || c == 0xFEFF;
    }

    private static String checkContentType(String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            errors.add(new FieldError("content_type", "required", "content_type is required"));
            return null;
        }
        Optional<String> type = MediaTypes.normalize(raw);
        if (type.isEmpty()) {
            errors.add(new FieldError("content_type", "invalid",
                    "content_type must be a media type such as audio/mpeg"));
            return null;
        }
        if (!MediaTypes.isUploadable(type.get())) {
            errors.add(new FieldError("content_type", "not_allowed", "content_type " + type.get()
                    + " is not accepted; use audio/*, video/* or application/octet-stream"));
        }
        return type.get();
    }

    private long checkSize(Long size, List<FieldError> errors) {
        if (size == null) {
            errors.add(new FieldError("file_size", "required", "file_size (in bytes) is required"));
            return 0;
        }
        if (size < 1) {
            errors.add(new FieldError("file_size", "invalid", "file_size must be a positive number of bytes"));
        } else if (size > maxFileSize) {
            errors.add(new FieldError("file_size", "too_large", "file_size " + size + " exceeds the limit of "
                    + maxFileSize + " bytes (" + (maxFileSize / (1024 * 1024)) + " MiB)"));
        }
        return size;
    }

    private String checkPurpose(String raw, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            errors.add(new FieldError("purpose", "required", "purpose is required"));
            return null;
        }
        String purpose = raw.strip().toLowerCase(Locale.ROOT);
        if (!purposes.contains(purpose)) {
            errors.add(new FieldError("purpose", "not_allowed", "purpose must be one of " + new TreeSet<>(purposes)));
        }
        return purpose;
    }

    public static final class Builder {
        private long maxFileSize = DEFAULT_MAX_FILE_SIZE;
        private Duration urlLifetime = Duration.ofHours(1);
        private Set<String> purposes = DEFAULT_PURPOSES;

        private Builder() {
        }

        public Builder maxFileSize(long bytes) {
            this.maxFileSize = bytes;
            return this;
        }

        public Builder urlLifetime(Duration lifetime) {
            this.urlLifetime = lifetime;
            return this;
        }

        public Builder purposes(Set<String> purposes) {
            this.purposes = purposes;
            return this;
        }

        public PresignPolicy build() {
            if (maxFileSize < 1 || urlLifetime.isNegative() || urlLifetime.isZero()
                    || urlLifetime.compareTo(Duration.ofDays(7)) > 0 || purposes.isEmpty()) {
                throw new IllegalStateException(
                        "maxFileSize must be positive, urlLifetime within (0, 7 days], purposes not empty");
            }
            return new PresignPolicy(this);
        }
    }
}
