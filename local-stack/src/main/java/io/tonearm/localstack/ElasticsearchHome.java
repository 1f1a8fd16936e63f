package io.tonearm.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Finds the Elasticsearch distribution that the local-stack build unpacked (maven-dependency-plugin, phase
 * generate-resources) into {@code local-stack/target/elasticsearch/elasticsearch-<version>}.
 *
 * <p>Looked up in order: system property {@code tonearm.es.home}; under {@code tonearm.project.dir} (set by
 * surefire to the reactor root); relative to the current directory (the reactor root, a module, or a folder
 * holding {@code target/}).
 */
public final class ElasticsearchHome {
    public static final String HOME_PROPERTY = "tonearm.es.home";
    public static final String PROJECT_DIR_PROPERTY = "tonearm.project.dir";

    private ElasticsearchHome() {
    }

    /** The version the build unpacked, e.g. {@code 8.19.21}. */
    public static String version() {
        return buildProperties().getProperty("elasticsearch.version");
    }

    public static Path locate() {
        List<Path> candidates = candidates();
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate.resolve("bin/elasticsearch"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new LocalStackException("no Elasticsearch distribution found; looked for bin/elasticsearch in "
                + candidates + ". The local-stack build unpacks it: run `./mvnw -pl local-stack generate-resources`"
                + " (or build the reactor), or point -D" + HOME_PROPERTY + " at an unpacked Elasticsearch "
                + version() + ".");
    }

    static List<Path> candidates() {
        List<Path> candidates = new ArrayList<>();
        String explicit = System.getProperty(HOME_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(Path.of(explicit));
            return candidates;
        }
        Path relative = Path.of(buildProperties().getProperty("elasticsearch.unpack.dir"), "elasticsearch-" + version());
        String projectDir = System.getProperty(PROJECT_DIR_PROPERTY);
        if (projectDir != null && !projectDir.isBlank()) {
            candidates.add(Path.of(projectDir).resolve(relative));
        }
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd.resolve(relative));
        candidates.add(cwd.resolveSibling(relative.toString()));
        candidates.add(cwd.resolve(relative.subpath(1, relative.getNameCount())));
        return candidates;
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = ElasticsearchHome.class.getResourceAsStream("local-stack.properties")) {
            if (in == null) {
                throw new IllegalStateException("local-stack.properties missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
