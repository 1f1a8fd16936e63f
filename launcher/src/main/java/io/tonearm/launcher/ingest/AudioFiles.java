package io.tonearm.launcher.ingest;

import io.tonearm.analysis.decode.AudioFileTypes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
        return AudioFileTypes.contentType(file.getFileName() == null ? "" : file.getFileName().toString());
    }

    /** The file's first bytes look like an audio container or stream ({@link AudioFileTypes#looksLikeAudio}). */
    static boolean looksLikeAudio(Path file) {
        byte[] h = new byte[AudioFileTypes.HEAD_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            return AudioFileTypes.looksLikeAudio(h, in.readNBytes(h, 0, h.length));
        } catch (IOException e) {
            return false;
        }
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
