package io.tonearm.analysis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The tiny separation network of {@code src/test/resources/separation} (written by
 * {@code make_tiny_separation_models.py}): stereo, 22050 Hz, chunks of 8192 samples overlapping by a quarter, stems
 * {@code bass} (a 300 Hz FIR low-pass), {@code vocals} (a 600–3000 Hz FIR band-pass) and {@code other} (the rest).
 * Installed into a models directory as an operator would install a real one.
 */
public final class TinySeparationModel {

    public static final String RESOURCES = "/separation/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TinySeparationModel() {
    }

    /** Puts the model and its sidecar at {@code <modelsDir>/separation/}; returns {@code modelsDir}. */
    public static Path install(Path modelsDir) {
        return install(modelsDir, "tiny-separation.onnx", sidecar -> {
        });
    }

    /**
     * As {@link #install(Path)} with another model file of the resources and the sidecar edited by {@code edit}
     * (e.g. a wrong channel count).
     */
    public static Path install(Path modelsDir, String modelResource, Consumer<ObjectNode> edit) {
        try {
            Path folder = Files.createDirectories(modelsDir.resolve("separation"));
            copy(modelResource, folder.resolve("separation.onnx"));
            ObjectNode sidecar = (ObjectNode) sidecar();
            edit.accept(sidecar);
            Files.writeString(folder.resolve("separation.json"), sidecar.toPrettyString());
            return modelsDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sidecar shipped with the tiny model. */
    public static JsonNode sidecar() {
        return read("tiny-separation.json");
    }

    /** {@code {sample_rate, bass: [taps], vocals: [taps]}}: the FIR filters the tiny model applies. */
    public static JsonNode filters() {
        return read("tiny-separation-filters.json");
    }

    private static JsonNode read(String name) {
        try (InputStream in = resource(name)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(String name, Path to) throws IOException {
        try (InputStream in = resource(name)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = TinySeparationModel.class.getResourceAsStream(RESOURCES + name);
        if (in == null) throw new IllegalStateException("test resource " + RESOURCES + name + " is missing");
        return in;
    }
}
