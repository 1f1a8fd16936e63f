package io.tonearm.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a server's log, to put in a start-up failure message. */
final class LogTail {
    private LogTail() {
    }

    static String of(Path log, int lines) {
        if (log == null || !Files.isReadable(log)) {
            return "(no log at " + log + ")";
        }
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
            return "last " + tail.size() + " lines of " + log + ":\n  " + String.join("\n  ", tail);
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
