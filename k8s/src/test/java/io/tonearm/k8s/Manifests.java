package io.tonearm.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reading YAML manifests: multi-document files, empty documents (comment-only headers) skipped. */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    static List<JsonNode> documents(String yaml) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) docs.add(doc);
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Resource> resources(String yaml) {
        return documents(yaml).stream().map(Resource::of).toList();
    }

    /** The repository root, as surefire passes it (parent pom) or, when run from an IDE, found upwards. */
    static Path projectDir() {
        String p = System.getProperty("tonearm.project.dir");
        if (p != null) return Path.of(p);
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("k8s/base"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("cannot find the repository root (k8s/base)");
        return dir;
    }

    static Path k8sDir() {
        return projectDir().resolve("k8s");
    }

    /** Every YAML file under k8s/, except installed tools and build output. */
    static List<Path> yamlFiles() {
        try (Stream<Path> s = Files.walk(k8sDir())) {
            return s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.toString().contains("node_modules") && !f.toString().contains("/target/"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<Resource> find(List<Resource> all, String kind, String name) {
        return all.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst();
    }

    static List<Resource> ofKind(List<Resource> all, String kind) {
        return all.stream().filter(r -> r.kind().equals(kind)).toList();
    }
}
