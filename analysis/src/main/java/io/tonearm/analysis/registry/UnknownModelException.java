package io.tonearm.analysis.registry;

/** A model selector names an analyzer or version that does not exist; the message lists what does. */
public class UnknownModelException extends IllegalArgumentException {
    public UnknownModelException(String message) {
        super(message);
    }
}
