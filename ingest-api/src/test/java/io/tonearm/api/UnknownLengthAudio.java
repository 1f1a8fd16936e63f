package io.tonearm.api;

import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoders;
import io.tonearm.analysis.decode.FfmpegPrograms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real recordings whose headers state no length, as a live encoder writes them: the bundled ffmpeg encodes a sine
 * ({@link ApiHarness#wav}) into a pipe, so it cannot go back and fill the length in. The project's own probe must
 * then report no duration, or the fixture refuses to exist (a test built on it could not fail otherwise).
 */
public final class UnknownLengthAudio {

    private UnknownLengthAudio() {
    }

    /** A FLAC whose STREAMINFO says 0 samples ("unknown"), as streaming FLAC encoders leave it. */
    public static byte[] streamedFlac(int seed, double seconds) {
        return encode(seed, seconds, "flac", "flac");
    }

    /** WebM/Opus without a Duration element, like a browser's MediaRecorder output. */
    public static byte[] streamedWebm(int seed, double seconds) {
        return encode(seed, seconds, "webm", "webm", "-c:a", "libopus");
    }

    private static byte[] encode(int seed, double seconds, String extension, String format, String... codec) {
        try {
            Path dir = Files.createTempDirectory("unknown-length");
            try {
                Path wav = Files.write(dir.resolve("in.wav"), ApiHarness.wav(seed, seconds));
                Path stderr = dir.resolve("stderr.txt");
                List<String> args = new java.util.ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error",
                        "-i", wav.toString()));
                args.addAll(List.of(codec));
                args.addAll(List.of("-f", format, "pipe:1"));
                Process ffmpeg = FfmpegPrograms.bundled().ffmpeg(args).redirectError(stderr.toFile()).start();
                byte[] out = ffmpeg.getInputStream().readAllBytes();
                if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                    ffmpeg.destroyForcibly();
                    throw new AssertionError("ffmpeg " + args + " failed: " + Files.readString(stderr));
                }
                Path encoded = Files.write(dir.resolve("out." + extension), out);
                Double declared = Decoders.standard().probe(encoded).durationSeconds();
                if (declared != null) {
                    throw new AssertionError("the " + format + " fixture declares " + declared + " s: it no longer "
                            + "stands for a recording of unknown length");
                }
                return out;
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DecodeException e) {
            throw new AssertionError("the fixture cannot be probed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
