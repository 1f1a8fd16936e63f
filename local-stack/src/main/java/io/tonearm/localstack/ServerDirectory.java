package io.tonearm.localstack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a server keeps its files: either a persistent directory the caller owns (a restart finds the data again)
 * or a throwaway one under the temp folder, deleted on {@link #release()}.
 *
 * <p>A throwaway directory's name carries the owning JVM's pid ({@code tonearm-kafka-<pid>-<random>}), so that
 * directories left by a killed JVM are found and deleted the next time one is created.
 */
final class ServerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ServerDirectory.class);
    private final Path path;
    private final boolean throwaway;

    private ServerDirectory(Path path, boolean throwaway) {
        this.path = path;
        this.throwaway = throwaway;
    }

    static ServerDirectory persistentOrThrowaway(Path persistent, String throwawayPrefix) {
        return persistentOrThrowaway(persistent, throwawayPrefix, stale -> { });
    }

    /**
     * @param stopLeftovers called on a stale throwaway directory before it is deleted, to stop a server the dead
     *                      JVM left running there (PostgreSQL daemonizes and would outlive it)
     */
    static ServerDirectory persistentOrThrowaway(Path persistent, String throwawayPrefix, Consumer<Path> stopLeftovers) {
        try {
            if (persistent != null) {
                return new ServerDirectory(Files.createDirectories(persistent.toAbsolutePath()), false);
            }
            String prefix = "tonearm-" + throwawayPrefix + "-";
            Path created = Files.createTempDirectory(prefix + ProcessHandle.current().pid() + "-");
            sweepStale(created.getParent(), prefix, stopLeftovers);
            return new ServerDirectory(created, true);
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

    private static void sweepStale(Path tmp, String prefix, Consumer<Path> stopLeftovers) {
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "(\\d+)-\\d+");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, prefix + "*")) {
            for (Path entry : entries) {
                Matcher m = name.matcher(entry.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    LOG.info("deleting {}, left by a JVM that is gone", entry);
                    try {
                        stopLeftovers.accept(entry);
                        deleteRecursively(entry);
                    } catch (RuntimeException e) {
                        LOG.debug("cannot clean {}", entry, e);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot sweep {} for stale {} directories", tmp, prefix, e);
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
