package io.tonearm.analysis.decode;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which files are audio, for everything that finds files by itself (the {@code tonearm ingest} client, the
 * pipeline's catalog scan): by extension first (with the media type it declares), then by the first bytes, so a
 * misnamed text file or a truncated download is reported rather than stored.
 */
public final class AudioFileTypes {

    /** How many leading bytes {@link #looksLikeAudio} needs. */
    public static final int HEAD_BYTES = 16;

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("wav", "audio/wav"), Map.entry("wave", "audio/wav"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("flac", "audio/flac"), Map.entry("ogg", "audio/ogg"), Map.entry("oga", "audio/ogg"),
            Map.entry("opus", "audio/ogg"), Map.entry("m4a", "audio/mp4"), Map.entry("mp4", "audio/mp4"),
            Map.entry("aac", "audio/aac"), Map.entry("aif", "audio/aiff"), Map.entry("aiff", "audio/aiff"),
            Map.entry("aifc", "audio/aiff"), Map.entry("wma", "audio/x-ms-wma"), Map.entry("webm", "audio/webm"),
            Map.entry("mka", "audio/x-matroska"), Map.entry("caf", "audio/x-caf"), Map.entry("ac3", "audio/ac3"));

    private AudioFileTypes() {
    }

    /** The media type an audio file name's extension declares; empty when it is not an audio extension. */
    public static Optional<String> contentType(String fileName) {
        String name = fileName == null ? "" : fileName;
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    /** Magic bytes of the containers and raw streams above, in the first {@code n} bytes of {@code h}. */
    public static boolean looksLikeAudio(byte[] h, int n) {
        if (n < 4) {
            return false;
        }
        return ascii(h, n, 0, "RIFF") && (ascii(h, n, 8, "WAVE") || ascii(h, n, 8, "RF64"))
                || ascii(h, n, 0, "RF64") || ascii(h, n, 0, "BW64")
                || ascii(h, n, 0, "ID3")                                     // mp3 (or aac) with an ID3v2 tag
                || (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0           // MPEG audio / ADTS frame sync
                || ascii(h, n, 0, "fLaC") || ascii(h, n, 0, "OggS")
                || ascii(h, n, 4, "ftyp")                                    // MP4 / M4A
                || ascii(h, n, 0, "FORM") && (ascii(h, n, 8, "AIFF") || ascii(h, n, 8, "AIFC"))
                || (h[0] & 0xFF) == 0x30 && (h[1] & 0xFF) == 0x26 && (h[2] & 0xFF) == 0xB2 && (h[3] & 0xFF) == 0x75 // ASF
                || (h[0] & 0xFF) == 0x1A && (h[1] & 0xFF) == 0x45 && (h[2] & 0xFF) == 0xDF && (h[3] & 0xFF) == 0xA3 // Matroska
                || ascii(h, n, 0, "caff")
                || (h[0] & 0xFF) == 0x0B && (h[1] & 0xFF) == 0x77;           // AC-3
    }

    private static boolean ascii(byte[] h, int n, int at, String s) {
        if (at + s.length() > n) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (h[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
