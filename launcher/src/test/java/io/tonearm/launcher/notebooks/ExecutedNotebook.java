package io.tonearm.launcher.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A notebook as {@code jupyter nbconvert --execute} wrote it: its outputs as text, its images and its errors. */
record ExecutedNotebook(Path file, List<String> texts, int images, List<String> errors) {

    static ExecutedNotebook read(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int images = 0;
        for (JsonNode cell : new ObjectMapper().readTree(file.toFile()).path("cells")) {
            for (JsonNode output : cell.path("outputs")) {
                switch (output.path("output_type").asText()) {
                    case "stream" -> texts.add(joined(output.path("text")));
                    case "error" -> errors.add(output.path("ename").asText() + ": " + output.path("evalue").asText());
                    default -> {
                        JsonNode data = output.path("data");
                        if (data.has("image/png")) {
                            images++;
                        } else if (data.has("text/plain")) {
                            texts.add(joined(data.path("text/plain")));
                        }
                    }
                }
            }
        }
        return new ExecutedNotebook(file, texts, images, errors);
    }

    /** Every text output, one after the other. */
    String text() {
        return String.join("\n", texts);
    }

    /** The text output (a printed table) that has a line equal to {@code name}: pandas prints the index name there. */
    Optional<String> table(String name) {
        return texts.stream().filter(t -> t.lines().anyMatch(l -> l.strip().equals(name))).findFirst();
    }

    /** nbformat stores multi-line text either as one string or as a list of lines. */
    private static String joined(JsonNode text) {
        if (!text.isArray()) {
            return text.asText();
        }
        StringBuilder b = new StringBuilder();
        text.forEach(line -> b.append(line.asText()));
        return b.toString();
    }
}
