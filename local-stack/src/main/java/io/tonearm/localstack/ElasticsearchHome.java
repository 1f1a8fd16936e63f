package io.tonearm.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the Elasticsearch distribution that the local-stack build unpacked into
 * {@code local-stack/target/elasticsearch/elasticsearch-<version>} ({@link BuildOutput} says where it looks; the
 * system property {@code tonearm.es.home} overrides).
 */
public final class ElasticsearchHome {
    public static final String HOME_PROPERTY = "tonearm.es.home";
    public static final String PROJECT_DIR_PROPERTY = BuildOutput.PROJECT_DIR_PROPERTY;

    private ElasticsearchHome() {
    }

    /** The version the build unpacked, e.g. {@code 8.19.21}. */
    public static String version() {
        return BuildOutput.property("elasticsearch.version");
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
        return BuildOutput.candidates(HOME_PROPERTY,
                Path.of(BuildOutput.property("elasticsearch.unpack.dir"), "elasticsearch-" + version()));
    }
}
