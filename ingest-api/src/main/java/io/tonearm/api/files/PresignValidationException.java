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

    public boolean isOnlyTooLarge() {
        return errors.stream().allMatch(e -> e.code().equals("too_large"));
    }
}
