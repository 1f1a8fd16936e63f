package io.tonearm.analysis.decode;

/** A typed decoding failure with a human reason. */
public class DecodeException extends Exception {

    private final DecodeError error;

    public DecodeException(DecodeError error, String message) {
        super(message);
        this.error = error;
    }

    public DecodeException(DecodeError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public DecodeError error() {
        return error;
    }
}
