package io.tonearm.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.runtime.util.EnvironmentInformation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Savepoints taken by released versions of the jobs, kept as test resources under
 * {@code savepoints/<job>/<release>/}: {@code savepoint/} is the directory Flink wrote (canonical format, hashmap
 * state backend, state small enough to sit inline in {@code _metadata}) and {@code manifest.json} says what the
 * generating run did (files, records, ids), which the restore test recreates and checks against. The
 * {@code *SavepointGenerator} classes write them (pipeline/README.md, "Upgrading: savepoint compatibility"); the
 * {@code *SavepointITCase}s restore each release folder they find into the current code.
 */
public final class ReleasedSavepoints {

    /** Where a generator writes: this branch's {@code pipeline/src/test/resources/savepoints}. */
    public static final String OUT_PROPERTY = "tonearm.savepoints.out";
    /** The release the generator runs as: its short commit id, the folder's name. */
    public static final String RELEASE_PROPERTY = "tonearm.savepoints.release";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReleasedSavepoints() {
    }

    /** One release's savepoint of one job. */
    public record Release(String name, Path dir) {
        /** The savepoint's path, for {@code execution.state-recovery.path}. */
        public String savepoint() {
            return dir.resolve("savepoint").toUri().toString();
        }

        public JsonNode manifest() {
            try {
                return JSON.readTree(dir.resolve("manifest.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every release folder of {@code job} on the test classpath, by name. */
    public static List<Release> of(String job) {
        URL url = ReleasedSavepoints.class.getResource("/savepoints/" + job);
        if (url == null) return List.of();
        try (Stream<Path> dirs = Files.list(Path.of(url.toURI()))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("manifest.json")))
                    .map(d -> new Release(d.getFileName().toString(), d))
                    .sorted(Comparator.comparing(Release::name)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new manifest for a generator to fill. */
    public static ObjectNode manifest() {
        return JSON.createObjectNode();
    }

    /**
     * The folder a generator writes {@code job}'s savepoint to, named by {@value #RELEASE_PROPERTY} under
     * {@value #OUT_PROPERTY}, emptied first.
     */
    public static Release target(String job) throws IOException {
        String out = System.getProperty(OUT_PROPERTY);
        String release = System.getProperty(RELEASE_PROPERTY);
        if (out == null || out.isBlank() || release == null || !release.matches("[0-9a-f]{7,40}")) {
            throw new IllegalStateException("a savepoint generator needs -D" + OUT_PROPERTY
                    + "=<this branch>/pipeline/src/test/resources/savepoints and -D" + RELEASE_PROPERTY
                    + "=<the released commit, short id>; see pipeline/README.md");
        }
        Path dir = Path.of(out, job, release);
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(dir);
        return new Release(release, dir);
    }

    /**
     * Copies the savepoint Flink wrote at {@code savepointUri} into {@code release}'s folder and writes the manifest,
     * with the release, the Flink version and the time added.
     */
    public static void store(Release release, String savepointUri, ObjectNode manifest) throws IOException {
        Path from = Path.of(URI.create(savepointUri));
        Path to = Files.createDirectories(release.dir().resolve("savepoint"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (!Files.isRegularFile(f)) throw new IllegalStateException("a savepoint of flat files expected: " + f);
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
        manifest.put("release", release.name());
        manifest.put("flink_version", EnvironmentInformation.getVersion());
        manifest.put("generated_at", Instant.now().toString());
        JSON.writerWithDefaultPrettyPrinter().writeValue(release.dir().resolve("manifest.json").toFile(), manifest);
    }
}
