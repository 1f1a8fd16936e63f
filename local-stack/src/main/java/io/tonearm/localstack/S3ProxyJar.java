package io.tonearm.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the S3Proxy jar (with its dependencies, from Maven Central) that the local-stack build copied into
 * {@code local-stack/target/s3proxy/} ({@link BuildOutput} says where it looks; the system property
 * {@code tonearm.s3proxy.jar} overrides).
 */
public final class S3ProxyJar {
    public static final String JAR_PROPERTY = "tonearm.s3proxy.jar";

    private S3ProxyJar() {
    }

    /** The version the build copied, e.g. {@code 4.1.0}. */
    public static String version() {
        return BuildOutput.property("s3proxy.version");
    }

    public static Path locate() {
        List<Path> candidates = BuildOutput.candidates(JAR_PROPERTY, Path.of(BuildOutput.property("s3proxy.dir"),
                "s3proxy-" + version() + "-jar-with-dependencies.jar"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new LocalStackException("no S3Proxy jar found; looked in " + candidates + ". The local-stack build copies"
                + " it: run `./mvnw -pl local-stack generate-resources` (or build the reactor), or point -D"
                + JAR_PROPERTY + " at s3proxy-" + version() + "-jar-with-dependencies.jar.");
    }
}
