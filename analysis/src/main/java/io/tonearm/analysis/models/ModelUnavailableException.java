package io.tonearm.analysis.models;

/** A model was requested but no models directory is configured, or the model's file is missing or unloadable. */
public final class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
