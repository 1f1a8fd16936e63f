package io.tonearm.launcher.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds audio files under a folder: an audio extension, then the first bytes must look like that kind of file
 * (a misnamed text file or a truncated download is reported, not uploaded).
 */
final class AudioFiles {

    /** A file found by the scan. {@code audio} false: its extension says audio but its bytes do not. */
    record Found(Path path, String relative, long size, long mtimeMillis, String contentType, boolean audio) {
    }

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("wav", "audio/wav"), Map.entry("wave", "audio/wav"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("flac", "audio/flac"), Map.entry("ogg", "audio/ogg"), Map.entry("oga", "audio/ogg"),
            Map.entry("opus", "audio/ogg"), Map.entry("m4a", "audio/mp4"), Map.entry("mp4", "audio/mp4"),
            Map.entry("aac", "audio/aac"), Map.entry("aif", "audio/aiff"), Map.entry("aiff", "audio/aiff"),
            Map.entry("aifc", "audio/aiff"), Map.entry("wma", "audio/x-ms-wma"), Map.entry("webm", "audio/webm"),
            Map.entry("mka", "audio/x-matroska"), Map.entry("caf", "audio/x-caf"), Map.entry("ac3", "audio/ac3"));

    private AudioFiles() {
    }

    /** Every file under {@code root} with an audio extension, sorted by path; hidden files and folders skipped. */
    static List<Found> scan(Path root) throws IOException {
        List<Found> found = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = root.relativize(p);
                if (isHidden(rel)) {
                    continue;
                }
                Optional<String> type = contentType(p);
                if (type.isEmpty()) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // vanished or unreadable: not part of this run
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                found.add(new Found(p, rel.toString(), a.size(), a.lastModifiedTime().toMillis(), type.get(), looksLikeAudio(p)));
            }
        }
        found.sort(Comparator.comparing(Found::relative));
        return found;
    }

    static Optional<String> contentType(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    /** Magic bytes of the containers and raw streams above. */
    static boolean looksLikeAudio(Path file) {
        byte[] h = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(h, 0, h.length);
        } catch (IOException e) {
            return false;
        }
        if (n < 4) {
            return false;
        }
        return ascii(h, 0, "RIFF") && n >= 12 && (ascii(h, 8, "WAVE") || ascii(h, 8, "RF64"))
                || ascii(h, 0, "RF64") || ascii(h, 0, "BW64")
                || ascii(h, 0, "ID3")                                        // mp3 (or aac) with an ID3v2 tag
                || (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0           // MPEG audio / ADTS frame sync
                || ascii(h, 0, "fLaC") || ascii(h, 0, "OggS")
                || n >= 8 && ascii(h, 4, "ftyp")                             // MP4 / M4A
                || ascii(h, 0, "FORM") && n >= 12 && (ascii(h, 8, "AIFF") || ascii(h, 8, "AIFC"))
                || (h[0] & 0xFF) == 0x30 && (h[1] & 0xFF) == 0x26 && (h[2] & 0xFF) == 0xB2 && (h[3] & 0xFF) == 0x75 // ASF
                || (h[0] & 0xFF) == 0x1A && (h[1] & 0xFF) == 0x45 && (h[2] & 0xFF) == 0xDF && (h[3] & 0xFF) == 0xA3 // Matroska
                || ascii(h, 0, "caff")
                || (h[0] & 0xFF) == 0x0B && (h[1] & 0xFF) == 0x77;           // AC-3
    }

    private static boolean ascii(byte[] h, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (h[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
