package io.tonearm.analysis.tonal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tonearm.analysis.Analyzer;
import io.tonearm.analysis.AnalyzerSpec;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.RecordingContext;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Global key by the KeyNet convolutional network (Korzeniowski &amp; Widmer, "Genre-agnostic key classification
 * with convolutional neural networks", ISMIR 2018; MIT-licensed weights of rekordcloud/openkeyscan-analyzer,
 * trained on GiantSteps-MTG key) on a librosa-compatible {@link KeyNetCqt}. An optional alternative to the
 * default {@code key} analyzer, available when the model folder is configured: system property
 * {@value #MODELS_PROPERTY} or environment variable {@value #MODELS_ENV}, holding
 * {@code musical-key-cnn/keynet.onnx}. Without it this analyzer fails with a clear message and {@code key}
 * (profile correlation) is unaffected.
 *
 * <p>The network sees the middle {@value #MAX_FRAMES} frames (4 minutes) at most, as upstream does. Output is the
 * {@link KeyResult} of {@code key}: confidence is the softmax probability of the winner, alternatives carry
 * probabilities as scores, and the tuning comes from the shared {@link Chroma}.
 */
public final class KeyNetAnalyzer implements Analyzer<KeyResult> {

    public static final String MODELS_PROPERTY = "tonearm.models.dir";
    public static final String MODELS_ENV = "TONEARM_MODELS_DIR";
    static final String MODEL_FILE = "musical-key-cnn/keynet.onnx";
    static final int MAX_FRAMES = 1200;
    /** The training pipeline dropped the last two frames of every spectrogram. */
    private static final int DROPPED_TAIL = 2;
    private static final int MIN_FRAMES = 8;
    private static final int ALTERNATIVES = 4;

    private static final AnalyzerSpec SPEC = AnalyzerSpec.of("key-keynet", 1,
            "Global key by the KeyNet CNN (Korzeniowski & Widmer 2018) on a constant-Q spectrogram; needs "
                    + MODELS_ENV + " or -D" + MODELS_PROPERTY);

    private final Path modelsDir;
    private OrtSession session;   // created on first use, then shared: OrtSession.run is thread-safe

    /** Reads the model folder from {@value #MODELS_PROPERTY} or {@value #MODELS_ENV}; either may be unset. */
    public KeyNetAnalyzer() {
        this(configuredModelsDir());
    }

    public KeyNetAnalyzer(Path modelsDir) {
        this.modelsDir = modelsDir;
    }

    static Path configuredModelsDir() {
        String dir = System.getProperty(MODELS_PROPERTY);
        if (dir == null || dir.isBlank()) dir = System.getenv(MODELS_ENV);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    @Override
    public AnalyzerSpec spec() {
        return SPEC;
    }

    @Override
    public Run<KeyResult> start(Params params, RecordingContext recording) {
        OrtSession model = session();
        KeyNetCqt cqt = recording.feature(KeyNetCqt.FEATURE);
        Chroma chroma = recording.feature(Chroma.FEATURE);
        return () -> classify(model, cqt, chroma.tuningFrequency());
    }

    private synchronized OrtSession session() {
        if (session != null) return session;
        if (modelsDir == null) {
            throw new IllegalStateException("key-keynet needs the models folder: set " + MODELS_ENV + " or -D" + MODELS_PROPERTY);
        }
        Path file = modelsDir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) throw new IllegalStateException("key-keynet: no model at " + file);
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = OrtEnvironment.getEnvironment().createSession(file.toString(), options);
            return session;
        } catch (OrtException e) {
            throw new IllegalStateException("key-keynet: cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyResult classify(OrtSession model, KeyNetCqt cqt, double tuningFrequency) {
        double tuning = Math.round(tuningFrequency * 10) / 10.0;
        int usable = cqt.frames() - DROPPED_TAIL;
        if (usable < MIN_FRAMES) return new KeyResult(null, null, null, 0, 0, List.of(), tuning, "keynet");
        int n = Math.min(usable, MAX_FRAMES);
        float[] input = cqt.window((usable - n) / 2, n);
        float[] logits;
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(input),
                new long[]{1, 1, KeyNetCqt.BINS, n});
             OrtSession.Result result = model.run(Map.of("input", tensor))) {
            logits = ((float[][]) result.get(0).getValue())[0];
        } catch (OrtException e) {
            throw new IllegalStateException("key-keynet inference failed: " + e.getMessage(), e);
        }
        double[] p = softmax(logits);
        List<KeyEstimator.Candidate> ranked = new ArrayList<>();
        for (int i = 0; i < p.length; i++) ranked.add(candidate(i, p[i]));
        ranked.sort(Comparator.comparingDouble(KeyEstimator.Candidate::score).reversed());
        KeyEstimator.Candidate best = ranked.get(0);
        List<KeyResult.Alternative> alternatives = new ArrayList<>();
        for (KeyEstimator.Candidate c : ranked.subList(1, 1 + ALTERNATIVES)) {
            alternatives.add(new KeyResult.Alternative(PitchClass.name(c.tonic()), c.minor() ? "minor" : "major",
                    round(c.score()), KeyEstimator.relation(best, c)));
        }
        return new KeyResult(PitchClass.name(best.tonic()), best.minor() ? "minor" : "major",
                PitchClass.camelot(best.tonic(), best.minor()), round(best.score()), round(best.score()),
                alternatives, tuning, "keynet");
    }

    /** Output index i is Camelot (i mod 12) + 1, A (minor) for i < 12, B (major) otherwise. */
    static KeyEstimator.Candidate candidate(int index, double probability) {
        boolean minor = index < 12;
        int number = index % 12 + 1;
        int fifths = Math.floorMod(number - 1 - (minor ? 4 : 7), 12);   // steps from C (or A minor) on the circle
        int tonic = Math.floorMod(fifths * 7, 12);
        return new KeyEstimator.Candidate(tonic, minor, probability);
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
