package io.tonearm.analysis.decode;

/** Where the CLI, the pipeline and the API get their decoder: one place to change it. */
public final class Decoders {

    private Decoders() {
    }

    /** The default decoder (the bundled ffmpeg as a child process), created once and shared; thread-safe. */
    public static Decoder standard() {
        return Standard.INSTANCE;
    }

    private static final class Standard {
        static final Decoder INSTANCE = FfmpegDecoder.bundled();
    }
}
