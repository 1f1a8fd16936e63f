package io.tonearm.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of a bench's throw-away directory. */
final class BenchFiles {
    private BenchFiles() {
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).forEach(p -> p.toFile().delete());
        }
    }
}
