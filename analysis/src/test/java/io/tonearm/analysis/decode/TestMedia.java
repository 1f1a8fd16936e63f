package io.tonearm.analysis.decode;

import io.tonearm.analysis.testing.WavFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test fixtures made on the spot: a sine written as WAV in Java, then encoded by the bundled ffmpeg. */
final class TestMedia {

    static final FfmpegPrograms PROGRAMS = FfmpegPrograms.bundled();

    private TestMedia() {
    }

    /** Interleaved sine, the same in every channel. */
    static float[] sine(double hz, double amplitude, int rate, int channels, double seconds) {
        int frames = (int) Math.round(seconds * rate);
        float[] out = new float[frames * channels];
        for (int f = 0; f < frames; f++) {
            float x = (float) (amplitude * Math.sin(2 * Math.PI * hz * f / rate));
            for (int c = 0; c < channels; c++) out[f * channels + c] = x;
        }
        return out;
    }

    static Path wav(Path file, float[] interleaved, int rate, int channels, int bits) throws IOException {
        return WavFiles.write(file, interleaved, rate, channels, bits);
    }

    /** Runs the bundled ffmpeg (quiet, overwrite) and fails the test with its stderr if it fails. */
    static Path ffmpeg(Path output, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error", "-y"));
        all.addAll(List.of(args));
        all.add(output.toString());
        try (ChildProcess child = ChildProcess.start(PROGRAMS.ffmpeg(all), "test-ffmpeg", Duration.ofSeconds(60))) {
            child.stdout().readAllBytes();
            int code = child.awaitExit();
            if (code != 0) throw new AssertionError("ffmpeg " + all + " failed (" + code + "): " + child.stderr().text());
        }
        return output;
    }

    /** A sine WAV encoded to {@code name} with the given codec arguments. */
    static Path encodedSine(Path dir, String name, int rate, int channels, double seconds, String... codecArgs)
            throws IOException, InterruptedException {
        Path source = wav(dir.resolve(name + ".source.wav"), sine(1000, 0.5, rate, channels, seconds), rate, channels, 32);
        List<String> args = new ArrayList<>(List.of("-i", source.toString()));
        args.addAll(List.of(codecArgs));
        return ffmpeg(dir.resolve(name), args.toArray(String[]::new));
    }

    /** Everything a stream delivers, checking each block is whole frames. */
    static float[] readAll(PcmStream pcm, int channels) throws DecodeException {
        float[] block = new float[4096 * channels];
        float[] all = new float[1 << 16];
        int len = 0;
        for (int n; (n = pcm.read(block, 4096)) >= 0; ) {
            if (len + n * channels > all.length) all = Arrays.copyOf(all, Math.max(all.length * 2, len + n * channels));
            System.arraycopy(block, 0, all, len, n * channels);
            len += n * channels;
        }
        return Arrays.copyOf(all, len);
    }

    /** One channel out of interleaved samples. */
    static float[] channel(float[] interleaved, int channels, int c) {
        float[] out = new float[interleaved.length / channels];
        for (int i = 0; i < out.length; i++) out[i] = interleaved[i * channels + c];
        return out;
    }
}
