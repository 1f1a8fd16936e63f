package io.tonearm.api.files;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Media-type parsing for uploads: {@code type/subtype} tokens (RFC 9110), parameters dropped, lower case. */
public final class MediaTypes {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private MediaTypes() {
    }

    /** {@code "Audio/MPEG; codecs=mp3"} becomes {@code "audio/mpeg"}; empty when not a concrete media type. */
    public static Optional<String> normalize(String header) {
        if (header == null) {
            return Optional.empty();
        }
        int semicolon = header.indexOf(';');
        String essence = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        int slash = essence.indexOf('/');
        if (slash <= 0 || slash != essence.lastIndexOf('/')) {
            return Optional.empty();
        }
        String type = essence.substring(0, slash);
        String subtype = essence.substring(slash + 1);
        if (!TOKEN.matcher(type).matches() || !TOKEN.matcher(subtype).matches()
                || type.contains("*") || subtype.contains("*")) {
            return Optional.empty();
        }
        return Optional.of(essence.toLowerCase(Locale.ROOT));
    }

    /** Types the platform accepts as upload bodies: any audio or video, or opaque bytes. */
    public static boolean isUploadable(String normalized) {
        return normalized.startsWith("audio/") || normalized.startsWith("video/")
                || normalized.equals("application/octet-stream");
    }
}
