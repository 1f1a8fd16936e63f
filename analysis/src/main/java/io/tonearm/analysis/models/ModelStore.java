package io.tonearm.analysis.models;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the pretrained ONNX models and keeps one ONNX Runtime session per model for the life of the process.
 * Creating a session costs 30–175 ms, {@link OrtSession#run} is thread-safe, and one analysis job runs per
 * core, so sessions are created once, on first use, with one intra-op and one inter-op thread.
 *
 * <p>The models directory comes from the system property {@value #DIR_PROPERTY}, else the environment
 * variable {@value #DIR_ENV}; inside it each model sits at {@code <folder>/<file>} (see {@link Model}).
 * Analyzers that need a model ask for its session in {@code start()}, so a missing model fails that analyzer
 * with a message that says what to install where, and nothing else.
 */
public final class ModelStore {

    public static final String DIR_PROPERTY = "tonearm.models.dir";
    public static final String DIR_ENV = "TONEARM_MODELS_DIR";
    /** Where operators read how to obtain the models; the README section of that name. */
    static final String README_SECTION = "README, section \"Pretrained models\"";

    private static volatile ModelStore shared;

    private final Path dir;   // null when nothing is configured
    private final Map<Model, OrtSession> sessions = new ConcurrentHashMap<>();

    /** A store over an explicit directory (tests, embedding); {@code null} means "not configured". */
    public ModelStore(Path dir) {
        this.dir = dir;
    }

    /** The process-wide store over the configured directory (read once, on first call). */
    public static ModelStore shared() {
        ModelStore s = shared;
        if (s == null) {
            synchronized (ModelStore.class) {
                if (shared == null) shared = new ModelStore(configuredDir().orElse(null));
                s = shared;
            }
        }
        return s;
    }

    /** The directory named by {@value #DIR_PROPERTY} or {@value #DIR_ENV}, if any. */
    public static Optional<Path> configuredDir() {
        String v = System.getProperty(DIR_PROPERTY);
        if (v == null || v.isBlank()) v = System.getenv(DIR_ENV);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v.trim()));
    }

    public Optional<Path> dir() {
        return Optional.ofNullable(dir);
    }

    /** Path of the model's file; throws {@link ModelUnavailableException} when it cannot be there. */
    public Path locate(Model model) {
        if (dir == null) {
            throw new ModelUnavailableException("model " + model.relativePath() + " is needed but no models directory is configured: set the"
                    + " system property " + DIR_PROPERTY + " or the environment variable " + DIR_ENV + " to a folder that holds "
                    + model.relativePath() + " (" + model.origin() + "; see the " + README_SECTION + ")");
        }
        Path file = dir.resolve(model.folder()).resolve(model.file());
        if (!Files.isRegularFile(file)) {
            throw new ModelUnavailableException("model file " + file + " is missing: put " + model.relativePath() + " under " + dir
                    + " (" + model.origin() + "; see the " + README_SECTION + ")");
        }
        return file;
    }

    public boolean isAvailable(Model model) {
        return dir != null && Files.isRegularFile(dir.resolve(model.folder()).resolve(model.file()));
    }

    /** The cached session of a model, created on first request; thread-safe. */
    public OrtSession session(Model model) {
        OrtSession s = sessions.get(model);
        if (s != null) return s;
        synchronized (sessions) {
            return sessions.computeIfAbsent(model, this::open);
        }
    }

    /** The process-wide ONNX Runtime environment that owns every session (tensors are created against it). */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    private OrtSession open(Model model) {
        Path file = locate(model);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return environment().createSession(file.toString(), options);
        } catch (OrtException | RuntimeException e) {
            throw new ModelUnavailableException("cannot load model " + file + ": " + e.getMessage(), e);
        }
    }
}
