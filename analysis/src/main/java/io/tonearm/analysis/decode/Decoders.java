package io.tonearm.analysis.decode;

/** Where the CLI, the pipeline and the API get their decoder: one place to change it. */
public final class Decoders {

    private static Decoder standard;

    private Decoders() {
    }

    /**
     * The default decoder (the bundled ffmpeg as a child process), created once and shared; thread-safe.
     *
     * @throws IllegalStateException when the bundled ffmpeg cannot run on this machine, saying why (every call,
     *                               not a one-off class-initialisation error)
     */
    public static synchronized Decoder standard() {
        if (standard == null) standard = FfmpegDecoder.bundled();
        return standard;
    }
}
