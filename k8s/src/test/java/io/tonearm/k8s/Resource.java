package io.tonearm.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** One rendered Kubernetes object: its kind, name and namespace, and the whole document. */
record Resource(String kind, String name, String namespace, JsonNode body) {

    static Resource of(JsonNode doc) {
        JsonNode meta = doc.path("metadata");
        return new Resource(doc.path("kind").asText(""), meta.path("name").asText(""),
                meta.path("namespace").asText(""), doc);
    }

    /**
     * The node at a slash-separated path ({@code spec/job/upgradeMode}, {@code spec/ports/0/port}); missing parts give
     * a missing node. Unlike a JSON pointer, keys may contain dots and no escaping is needed.
     */
    JsonNode at(String path) {
        JsonNode n = body;
        for (String part : path.split("/")) {
            n = n.isArray() && part.chars().allMatch(Character::isDigit) ? n.path(Integer.parseInt(part)) : n.path(part);
        }
        return n;
    }

    String text(String path) {
        JsonNode n = at(path);
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    String label(String key) {
        return body.path("metadata").path("labels").path(key).textValue();
    }

    /** Containers of a Deployment's pod template or a FlinkDeployment's pod template. */
    List<JsonNode> containers() {
        List<JsonNode> out = new ArrayList<>();
        JsonNode spec = switch (kind) {
            case "Deployment", "StatefulSet" -> at("spec/template/spec");
            case "FlinkDeployment" -> at("spec/podTemplate/spec");
            default -> com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        };
        spec.path("containers").forEach(out::add);
        return out;
    }

    String id() {
        return kind + "/" + name;
    }
}
