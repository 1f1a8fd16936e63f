package io.tonearm.api.files;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A presign request with one or more bad fields; all problems are reported at once. Suggested status: 413 when
 * the only problem is the size limit ({@link #isOnlyTooLarge()}), else 400 (or 422).
 */
public final class PresignValidationException extends RuntimeException {
    private final List<FieldError> errors;

    public PresignValidationException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::message).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** {@code file_too_large} when the size limit is the only problem, else {@code invalid_request}. */
    public String code() {
        return isOnlyTooLarge() ? "file_too_large" : "invalid_request";
    }

    /** 413 when the size limit is the only problem, else 400. */
    public int httpStatus() {
        return isOnlyTooLarge() ? 413 : 400;
    }

    public boolean isOnlyTooLarge() {
        return errors.stream().allMatch(e -> e.code().equals("too_large"));
    }
}
