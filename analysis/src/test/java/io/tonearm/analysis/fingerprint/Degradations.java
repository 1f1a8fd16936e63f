package io.tonearm.analysis.fingerprint;

import io.tonearm.analysis.Params;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.decode.FfmpegPrograms;
import io.tonearm.analysis.registry.Selection;
import io.tonearm.analysis.run.AnalysisReport;
import io.tonearm.analysis.run.AnalysisRunner;
import io.tonearm.analysis.testing.Analyze;
import io.tonearm.analysis.testing.WavFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What identification must survive, applied to {@link CatalogSynth} tracks (mono, {@link CatalogSynth#RATE}): gain
 * with clipping, white noise at an SNR, and a real mp3 encode through the bundled ffmpeg. Shared by the fingerprint
 * tests here and the index, pipeline and API tests of other modules (through this module's test-jar).
 */
public final class Degradations {

    /** Query parameters: 4 frame grids. Indexed recordings use the defaults (one grid). */
    public static final Map<String, String> QUERY = Map.of("shifts", "4");

    private Degradations() {
    }

    public static float[] gain(float[] x, double db) {
        float g = (float) Math.pow(10, db / 20);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Math.max(-1f, Math.min(1f, x[i] * g));
        return out;
    }

    public static float[] noisy(float[] x, double snrDb, Random rng) {
        double power = 0;
        for (float v : x) power += v * v;
        double sigma = Math.sqrt(power / x.length / Math.pow(10, snrDb / 10));
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) (x[i] + sigma * rng.nextGaussian());
        return out;
    }

    /** A 16-bit WAV of {@code mono} in {@code dir}. */
    public static Path wav(float[] mono, Path dir) throws IOException {
        return WavFiles.write(Files.createTempFile(dir, "track", ".wav"), mono, CatalogSynth.RATE, 1, 16);
    }

    /** {@code mono} encoded as mp3 at {@code bitrate} (e.g. "64k") by the bundled ffmpeg, in {@code dir}. */
    public static Path mp3(float[] mono, String bitrate, Path dir) throws IOException, InterruptedException {
        Path wav = wav(mono, dir);
        Path mp3 = Path.of(wav.toString().replace(".wav", ".mp3"));
        ProcessBuilder pb = FfmpegPrograms.bundled().ffmpeg(List.of("-nostdin", "-v", "error", "-y", "-i", wav.toString(),
                "-c:a", "libmp3lame", "-b:a", bitrate, mp3.toString()));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("ffmpeg mp3 encode failed");
        Files.delete(wav);
        return mp3;
    }

    /** Fingerprints PCM directly, in the current format. */
    public static Landmarks fingerprint(float[] mono, Map<String, String> params) {
        return fingerprint(LandmarkFormat.CURRENT, mono, params);
    }

    public static Landmarks fingerprint(LandmarkFormat format, float[] mono, Map<String, String> params) {
        return Analyze.run(new FingerprintAnalyzer(format), params, mono, CatalogSynth.RATE, 1).landmarks().unpack();
    }

    /** Fingerprints a file through the real decoder, as the pipeline does, in the current format. */
    public static Landmarks fingerprint(Path file, Map<String, String> params) {
        return fingerprint(LandmarkFormat.CURRENT, file, params);
    }

    public static Landmarks fingerprint(LandmarkFormat format, Path file, Map<String, String> params) {
        FingerprintAnalyzer analyzer = new FingerprintAnalyzer(format);
        AnalysisReport report = new AnalysisRunner(Decoders.standard(), Duration.ofMinutes(1))
                .analyze(file, List.of(new Selection("fingerprint", analyzer, Params.of(analyzer.spec(), params))));
        if (!report.ok()) throw new IllegalStateException("decode failed: " + report.error() + " " + report.failures());
        return ((FingerprintAnalyzer.Result) report.results().get("fingerprint").results()).landmarks().unpack();
    }
}
