package io.tonearm.launcher.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's {@code notebooks/} folder and the notebooks in it. */
final class Notebooks {
    private Notebooks() {
    }

    /** {@code notebooks/} of this checkout: from {@code tonearm.project.dir} (set by the build), else beside the module. */
    static Path dir() {
        Path project = Path.of(System.getProperty("tonearm.project.dir", "..")).toAbsolutePath().normalize();
        return project.resolve("notebooks");
    }

    /** Every committed notebook, sorted by name. */
    static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
    }
}
