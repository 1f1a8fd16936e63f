package io.tonearm.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The base's objects as written, without kustomize: its {@code resources}, a ConfigMap per
 * {@code configMapGenerator} (literals only, no hash suffix) and its {@code images} tags. Just enough for the rule
 * tests to run on every machine and to break one object at a time; the overlays are rendered by the real
 * kustomize ({@link Kustomize}).
 */
final class BaseFiles {

    private BaseFiles() {
    }

    static List<Resource> load() throws IOException {
        Path base = Manifests.k8sDir().resolve("base");
        JsonNode k = Manifests.documents(Files.readString(base.resolve("kustomization.yaml"))).get(0);
        List<Resource> out = new ArrayList<>();
        for (JsonNode file : k.path("resources")) {
            out.addAll(Manifests.resources(Files.readString(base.resolve(file.asText()))));
        }
        for (JsonNode gen : k.path("configMapGenerator")) {
            ObjectNode cm = Manifests.YAML.createObjectNode();
            cm.put("apiVersion", "v1").put("kind", "ConfigMap").putObject("metadata").put("name", gen.path("name").asText());
            ObjectNode data = cm.putObject("data");
            for (JsonNode literal : gen.path("literals")) {
                String[] kv = literal.asText().split("=", 2);
                data.put(kv[0], kv[1]);
            }
            out.add(Resource.of(cm));
        }
        for (JsonNode image : k.path("images")) {
            String name = image.path("name").asText();
            String tagged = image.path("newName").asText(name) + ":" + image.path("newTag").asText("latest");
            for (Resource r : out) {
                if (name.equals(r.text("spec/image"))) ((ObjectNode) r.at("spec")).put("image", tagged);
                for (JsonNode c : r.containers()) {
                    if (name.equals(c.path("image").asText())) ((ObjectNode) c).put("image", tagged);
                }
            }
        }
        return out;
    }
}
