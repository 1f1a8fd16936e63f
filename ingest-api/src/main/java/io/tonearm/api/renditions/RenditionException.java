package io.tonearm.api.renditions;

/** A rendition cannot be made from this asset; {@code code} and the message become the rendition's error. */
final class RenditionException extends Exception {

    private final String code;

    RenditionException(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
