package io.tonearm.analysis.decode;

import org.bytedeco.javacpp.Loader;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code ffmpeg} and {@code ffprobe} programs and the environment they need to start. The bundled ones come
 * out of the bytedeco jar; their shared libraries (libva, libdrm...) sit beside them without an rpath of their own,
 * so the child gets the programs' folder on {@code LD_LIBRARY_PATH}. {@code libavdevice} also links the system's
 * {@code libpulse.so.0} (Debian: {@code apt-get install libpulse0}).
 */
record FfmpegPrograms(Path ffmpeg, Path ffprobe, Map<String, String> environment) {

    /** Extracts (once per machine, cached by JavaCPP) and locates the programs shipped in the bytedeco jar. */
    static FfmpegPrograms bundled() {
        String ffmpeg;
        String ffprobe;
        try {
            ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            ffprobe = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("The bundled ffmpeg cannot load its libraries (" + rootMessage(e)
                    + "); on Debian install libpulse0 and libasound2.", e);
        }
        if (ffmpeg == null || ffprobe == null) {
            throw new IllegalStateException("The bytedeco ffmpeg jar for this platform carries no ffmpeg/ffprobe program.");
        }
        Path dir = Path.of(ffmpeg).getParent();
        String existing = System.getenv("LD_LIBRARY_PATH");
        String libraryPath = existing == null || existing.isEmpty() ? dir.toString() : dir + ":" + existing;
        return new FfmpegPrograms(Path.of(ffmpeg), Path.of(ffprobe), Map.of("LD_LIBRARY_PATH", libraryPath));
    }

    FfmpegPrograms {
        if (!Files.isExecutable(ffmpeg) || !Files.isExecutable(ffprobe)) {
            throw new IllegalStateException("not executable: " + ffmpeg + " / " + ffprobe);
        }
        environment = Map.copyOf(environment);
    }

    ProcessBuilder ffmpeg(List<String> args) {
        return builder(ffmpeg, args);
    }

    ProcessBuilder ffprobe(List<String> args) {
        return builder(ffprobe, args);
    }

    private ProcessBuilder builder(Path program, List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(program.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))); // with -nostdin: never waits on us
        return pb;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }
}
