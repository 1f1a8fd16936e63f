package io.tonearm.api.assets;

import io.tonearm.api.errors.ApiException;

import java.util.Locale;
import java.util.Set;

/** Which uploads are accepted (audio/*, video/*, application/octet-stream) and their file type. */
final class MediaTypes {

    private static final Set<String> AUDIO_EXTENSIONS = Set.of("mp3", "wav", "flac", "ogg", "oga", "opus", "m4a",
            "aac", "aif", "aiff", "wma", "alac", "ape", "wv", "mka");
    private static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "mkv", "webm", "avi", "m4v", "mpg",
            "mpeg", "ts", "wmv", "flv");

    private MediaTypes() {
    }

    /** The bare, lower-case media type, or 415 when absent or not accepted. */
    static String accept(String contentTypeHeader) {
        if (contentTypeHeader == null || contentTypeHeader.isBlank()) {
            throw ApiException.unsupportedMediaType("a Content-Type (audio/*, video/* or application/octet-stream) is required");
        }
        String type = contentTypeHeader.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("audio/") || type.startsWith("video/") || type.equals("application/octet-stream")) {
            return type;
        }
        throw ApiException.unsupportedMediaType("Content-Type " + type
                + " is not accepted; send audio/*, video/* or application/octet-stream");
    }

    /** {@code audio}, {@code video} or {@code other}; octet-streams are classified by file extension. */
    static String fileType(String mediaType, String filename) {
        if (mediaType.startsWith("audio/")) {
            return "audio";
        }
        if (mediaType.startsWith("video/")) {
            return "video";
        }
        if (filename != null && filename.contains(".")) {
            String ext = filename.substring(filename.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (AUDIO_EXTENSIONS.contains(ext)) {
                return "audio";
            }
            if (VIDEO_EXTENSIONS.contains(ext)) {
                return "video";
            }
        }
        return "other";
    }
}
