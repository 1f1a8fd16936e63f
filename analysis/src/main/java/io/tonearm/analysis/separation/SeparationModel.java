package io.tonearm.analysis.separation;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.tonearm.analysis.models.Model;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.models.ModelUnavailableException;
import io.tonearm.analysis.run.AnalysisRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An operator's separation network ({@code separation/separation.onnx} in the models directory) with its
 * {@link SeparationSidecar}, checked against the contract: one float input {@code [1, channels, chunk]} at the
 * sidecar's rate, one float output {@code [1, stems, channels, chunk]} (a dimension the file leaves open, such as
 * a dynamic length, is accepted and checked on the first run). Waveform exports of Demucs and Open-Unmix have this
 * shape. The session is the {@link ModelStore}'s, shared by the process.
 */
final class SeparationModel {

    /** SHA-256 per model file (path, size and modification time): hashing a 300 MB network once per process is enough. */
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    private final OrtSession session;
    private final String input;
    private final SeparationSidecar sidecar;
    private final SeparationResult.ModelInfo info;

    private SeparationModel(OrtSession session, String input, SeparationSidecar sidecar, SeparationResult.ModelInfo info) {
        this.session = session;
        this.input = input;
        this.sidecar = sidecar;
        this.info = info;
    }

    /** The configured model; a missing or unusable file or sidecar is a {@link ModelUnavailableException} that says why. */
    static SeparationModel load(ModelStore store) {
        Path file = store.locate(Model.SEPARATION);
        SeparationSidecar sidecar = SeparationSidecar.read(file.resolveSibling(SeparationSidecar.FILE_NAME));
        OrtSession session = store.session(Model.SEPARATION);
        try {
            if (session.getNumInputs() != 1 || session.getNumOutputs() != 1) {
                throw unusable(file, "it has " + session.getNumInputs() + " inputs and " + session.getNumOutputs()
                        + " outputs; the contract is one waveform input and one stems output");
            }
            Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
            NodeInfo out = session.getOutputInfo().values().iterator().next();
            long[] expectedIn = {1, sidecar.channels(), sidecar.chunkSamples()};
            long[] expectedOut = {1, sidecar.stems().size(), sidecar.channels(), sidecar.chunkSamples()};
            check(file, "input", in.getValue(), expectedIn);
            check(file, "output", out, expectedOut);
            return new SeparationModel(session, in.getKey(), sidecar,
                    new SeparationResult.ModelInfo(sidecar.displayName(), sha256(file), sidecar.sampleRate(), sidecar.stems()));
        } catch (OrtException e) {
            throw unusable(file, e.getMessage());
        }
    }

    SeparationSidecar sidecar() {
        return sidecar;
    }

    SeparationResult.ModelInfo info() {
        return info;
    }

    /**
     * One chunk through the network.
     *
     * @param chunk {@code [channels × chunkSamples]}, channel after channel (the input tensor's layout)
     * @return {@code [stems × channels × chunkSamples]} in the output tensor's layout
     */
    float[] run(float[] chunk) {
        long[] shape = {1, sidecar.channels(), sidecar.chunkSamples()};
        try (OnnxTensor tensor = OnnxTensor.createTensor(ModelStore.environment(), FloatBuffer.wrap(chunk), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            long[] got = out.getInfo().getShape();
            long[] expected = {1, sidecar.stems().size(), sidecar.channels(), sidecar.chunkSamples()};
            if (!Arrays.equals(got, expected)) {
                throw new IllegalStateException("the separation model returned shape " + Arrays.toString(got) + " for an input of "
                        + Arrays.toString(shape) + "; the contract (with its sidecar) is " + Arrays.toString(expected));
            }
            FloatBuffer b = out.getFloatBuffer();
            float[] stems = new float[b.remaining()];
            b.get(stems);
            return stems;
        } catch (OrtException e) {
            throw new IllegalStateException("the separation model failed on a chunk: " + e.getMessage(), e);
        }
    }

    /** Each fixed dimension of the node must equal the contract's; open ones (-1, named) pass until the first run. */
    private static void check(Path file, String what, NodeInfo node, long[] expected) {
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw unusable(file, "its " + what + " '" + node.getName() + "' is " + node.getInfo() + ", not a float tensor");
        }
        long[] shape = t.getShape();
        boolean fits = shape.length == expected.length;
        for (int i = 0; fits && i < shape.length; i++) fits = shape[i] < 0 || shape[i] == expected[i];
        if (!fits) {
            throw unusable(file, "its " + what + " '" + node.getName() + "' has shape " + Arrays.toString(shape) + " but the "
                    + "contract with this sidecar needs " + Arrays.toString(expected)
                    + (what.equals("input") ? " ([1, channels, chunk_samples])" : " ([1, stems, channels, chunk_samples])"));
        }
    }

    private static ModelUnavailableException unusable(Path file, String why) {
        return new ModelUnavailableException("the separation model " + file + " does not fit the contract of docs/analysis.md "
                + "(\"Separation with an ONNX model\"): " + why);
    }

    private static String sha256(Path file) {
        try {
            String key = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
            String cached = HASHES.get(key);
            if (cached != null) return cached;
            String hex = AnalysisRunner.sha256(file);
            HASHES.put(key, hex);
            return hex;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
