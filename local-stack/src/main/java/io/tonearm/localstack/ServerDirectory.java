package io.tonearm.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a server keeps its files: either a persistent directory the caller owns (a restart finds the data again)
 * or a throwaway one under the temp folder, deleted on {@link #release()}.
 */
final class ServerDirectory {
    private final Path path;
    private final boolean throwaway;

    private ServerDirectory(Path path, boolean throwaway) {
        this.path = path;
        this.throwaway = throwaway;
    }

    static ServerDirectory persistentOrThrowaway(Path persistent, String throwawayPrefix) {
        try {
            if (persistent != null) {
                return new ServerDirectory(Files.createDirectories(persistent.toAbsolutePath()), false);
            }
            return new ServerDirectory(Files.createTempDirectory("tonearm-" + throwawayPrefix + "-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory for " + throwawayPrefix, e);
        }
    }

    Path path() {
        return path;
    }

    boolean isThrowaway() {
        return throwaway;
    }

    /** Deletes a throwaway directory; leaves a persistent one alone. */
    void release() {
        if (throwaway) {
            deleteRecursively(path);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
