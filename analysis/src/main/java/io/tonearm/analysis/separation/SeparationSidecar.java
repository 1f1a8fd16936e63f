package io.tonearm.analysis.separation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tonearm.analysis.models.ModelUnavailableException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * What a separation network's file cannot say about itself, from the JSON file next to it
 * ({@value #FILE_NAME}): the rate it runs at, its channels, the names of its output stems in order, its chunk
 * length and the overlap between chunks. Unknown fields are refused, so a misspelt one is an error, not a silent
 * default.
 *
 * @param name          shown in results beside the model's SHA-256 (optional)
 * @param sampleRate    the rate the network was trained at, in Hz
 * @param channels      input and output channels per stem (Demucs and Open-Unmix: 2)
 * @param stems         output stems in the order of the output's second axis, e.g. {@code [drums, bass, other, vocals]}
 * @param chunkSamples  samples per channel of one model run (the input's last axis)
 * @param overlap       share of a chunk that overlaps the next, in [0, 0.5); the default 0.25 is Demucs's
 */
record SeparationSidecar(String name, Integer sampleRate, Integer channels, List<String> stems, Integer chunkSamples,
                         Double overlap) {

    static final String FILE_NAME = "separation.json";
    static final double DEFAULT_OVERLAP = 0.25;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Reads and checks the sidecar; every problem is a {@link ModelUnavailableException} naming the file. */
    static SeparationSidecar read(Path file) {
        SeparationSidecar s;
        try {
            s = MAPPER.readValue(Files.readAllBytes(file), SeparationSidecar.class);
        } catch (NoSuchFileException e) {
            throw new ModelUnavailableException("the separation model's sidecar " + file + " is missing: put a JSON file "
                    + "{\"sample_rate\", \"channels\", \"stems\", \"chunk_samples\", \"overlap\"} next to the model "
                    + "(docs/analysis.md, \"Separation with an ONNX model\")");
        } catch (JsonProcessingException e) {
            throw new ModelUnavailableException("the separation model's sidecar " + file + " is not valid JSON of the "
                    + "expected shape: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot read the separation model's sidecar " + file + ": " + e.getMessage(), e);
        }
        String problem = s == null ? "the file holds no JSON object" : s.problem();
        if (problem != null) throw new ModelUnavailableException("the separation model's sidecar " + file + " is not valid: " + problem);
        return s;
    }

    /** Samples shared by consecutive chunks. */
    int overlapSamples() {
        return (int) Math.round(chunkSamples * (overlap == null ? DEFAULT_OVERLAP : overlap));
    }

    String displayName() {
        return name == null || name.isBlank() ? "separation" : name;
    }

    private String problem() {
        if (sampleRate == null) return "sample_rate is missing";
        if (channels == null) return "channels is missing";
        if (chunkSamples == null) return "chunk_samples is missing";
        if (sampleRate < 1000 || sampleRate > 768_000) return "sample_rate " + sampleRate + " is not a sample rate (1000 to 768000 Hz)";
        if (channels < 1 || channels > 8) return "channels " + channels + " must be 1 to 8";
        if (stems == null || stems.isEmpty()) return "stems must list the model's output stems in order";
        if (stems.stream().anyMatch(n -> n == null || n.isBlank())) return "stems has an empty name";
        if (new HashSet<>(stems).size() != stems.size()) return "stems has a duplicate name: " + stems;
        if (chunkSamples < 64) return "chunk_samples " + chunkSamples + " must be at least 64";
        double o = overlap == null ? DEFAULT_OVERLAP : overlap;
        if (!(o >= 0 && o < 0.5)) return "overlap " + o + " must be at least 0 and below 0.5";
        return null;
    }
}
