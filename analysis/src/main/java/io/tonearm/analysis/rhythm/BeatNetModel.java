package io.tonearm.analysis.rhythm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BeatNet "model 1" (Heydari, Cwitkowitz &amp; Duan, "BeatNet: CRNN and particle filtering for online joint beat,
 * downbeat and meter tracking", ISMIR 2021, https://github.com/mjhydri/BeatNet; weights CC BY 4.0, converted to
 * ONNX by Remixatron): 500 frames × 272 features in, beat / downbeat / no-beat logits out. One ONNX Runtime
 * session per model file per JVM (creating one costs 30–175 ms; {@code run} is thread-safe), one thread each.
 *
 * <p>The model lives outside the repository: {@code <models dir>/beatnet/beatnet-model1.onnx}, the models
 * directory given by the system property {@value #DIR_PROPERTY} or the environment variable {@value #DIR_ENV}.
 */
final class BeatNetModel {

    static final String DIR_PROPERTY = "tonearm.models.dir", DIR_ENV = "TONEARM_MODELS_DIR";
    static final int FRAMES = 500, FEATURES = 272;

    private static final Map<Path, BeatNetModel> LOADED = new ConcurrentHashMap<>();

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;

    private BeatNetModel(Path file) {
        try {
            env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(file.toString(), options);
            input = session.getInputNames().iterator().next();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load BeatNet model " + file + ": " + e.getMessage(), e);
        }
    }

    /** The model file if a models directory is configured and holds it. */
    static Optional<Path> configuredFile() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) dir = System.getenv(DIR_ENV);
        if (dir == null || dir.isBlank()) return Optional.empty();
        Path file = Path.of(dir, "beatnet", "beatnet-model1.onnx");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    static BeatNetModel load(Path file) {
        return LOADED.computeIfAbsent(file.toAbsolutePath().normalize(), BeatNetModel::new);
    }

    /**
     * @param features {@link #FRAMES} × {@link #FEATURES}, row-major
     * @return per frame the probabilities (softmax of the logits) of beat and of downbeat: [2][FRAMES]
     */
    float[][] activations(float[] features) {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[]{1, FRAMES, FEATURES});
             OrtSession.Result result = session.run(Map.of(input, in))) {
            float[][][] logits = (float[][][]) result.get(0).getValue(); // [1][3][FRAMES]
            float[][] out = new float[2][FRAMES];
            for (int t = 0; t < FRAMES; t++) {
                double b = logits[0][0][t], d = logits[0][1][t], none = logits[0][2][t];
                double max = Math.max(b, Math.max(d, none));
                double eb = Math.exp(b - max), ed = Math.exp(d - max), en = Math.exp(none - max);
                double sum = eb + ed + en;
                out[0][t] = (float) (eb / sum);
                out[1][t] = (float) (ed / sum);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("BeatNet inference failed: " + e.getMessage(), e);
        }
    }
}
