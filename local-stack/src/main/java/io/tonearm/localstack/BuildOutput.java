package io.tonearm.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What the local-stack build prepared under {@code local-stack/target} (maven-dependency-plugin, phase
 * generate-resources): the unpacked Elasticsearch and the S3Proxy jar. A file is looked for, in order: at the system
 * property that names it explicitly; under {@code tonearm.project.dir} (set by surefire to the reactor root); relative
 * to the current directory (the reactor root, a module, or a folder holding {@code target/}).
 */
final class BuildOutput {
    static final String PROJECT_DIR_PROPERTY = "tonearm.project.dir";

    private BuildOutput() {
    }

    /** A value the build wrote into {@code local-stack.properties} (versions, output folders). */
    static String property(String name) {
        Properties properties = new Properties();
        try (InputStream in = BuildOutput.class.getResourceAsStream("local-stack.properties")) {
            if (in == null) {
                throw new IllegalStateException("local-stack.properties missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty(name);
    }

    /**
     * Where to look for {@code relative} (a path from the reactor root, {@code local-stack/target/...}), or only at
     * the value of {@code explicitProperty} when that system property is set.
     */
    static List<Path> candidates(String explicitProperty, Path relative) {
        List<Path> candidates = new ArrayList<>();
        String explicit = System.getProperty(explicitProperty);
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(Path.of(explicit));
            return candidates;
        }
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
}
