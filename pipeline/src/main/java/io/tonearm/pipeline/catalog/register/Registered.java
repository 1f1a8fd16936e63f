package io.tonearm.pipeline.catalog.register;

import java.io.Serializable;

/**
 * What registering one file came to.
 *
 * @param source  the file's URI
 * @param status  {@code registered} (a new asset), {@code known} (the account already had these bytes),
 *                {@code undecodable} (the asset is registered {@code failed}, as its probe found the bytes cannot
 *                be decoded: no analysis requested, nothing charged), {@code skipped} (not audio: nothing stored),
 *                {@code failed} (unreadable: nothing stored) or {@code refused} (the account's credits do not cover
 *                the request: nothing registered)
 * @param assetId the asset, when registered, known or undecodable
 * @param jobId   the analysis request made now, null when it had been made before (same bytes) or none was made
 * @param reason  why it was undecodable, skipped, failed or refused, as {@code code: message}
 */
public record Registered(String source, String status, String sha256, String assetId, String jobId, String reason)
        implements Serializable {

    /** The code of {@link #reason} ({@code code: message}), e.g. {@code undecodable_audio.not_media}. */
    public String reasonCode() {
        return reason.substring(0, reason.indexOf(':'));
    }

    /** The message of {@link #reason} ({@code code: message}). */
    public String reasonMessage() {
        return reason.substring(reason.indexOf(':') + 1).strip();
    }

    public static Registered undecodable(String source, String sha256, String assetId, String reason) {
        return new Registered(source, "undecodable", sha256, assetId, null, reason);
    }

    public static Registered skipped(String source, String reason) {
        return new Registered(source, "skipped", null, null, null, reason);
    }

    public static Registered refused(String source, String sha256, String reason) {
        return new Registered(source, "refused", sha256, null, null, reason);
    }

    public static Registered failed(String source, String reason) {
        return new Registered(source, "failed", null, null, null, reason);
    }
}
