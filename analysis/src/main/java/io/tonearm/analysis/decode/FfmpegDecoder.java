package io.tonearm.analysis.decode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes with ffmpeg run as a child process, never in this JVM: a fuzzed mp3 crashed the JVM through the
 * in-process libraries, a child never did (RECIPES.md). The child reads only the one local file it is given
 * ({@code -protocol_whitelist file,pipe}, a {@code file:} URL, and only the {@link #DEMUXERS} that cannot open
 * other files), decodes the first audio stream to
 * 32-bit float at the stream's own rate and channel count, and writes it to a pipe. Stateless and thread-safe:
 * share one instance ({@link Decoders#standard()}).
 */
public final class FfmpegDecoder implements Decoder {

    /** Wall-clock limit for reading headers: ffprobe reads a few MB at most. */
    static final Duration PROBE_BUDGET = Duration.ofSeconds(20);
    private static final int MAX_PROBE_JSON = 1 << 20;
    private static final Pattern VERSION = Pattern.compile("^ffmpeg version (\\S+)");
    /**
     * Demuxers ffmpeg may pick: audio and audio/video containers, plus still images so a picture is reported as
     * having no audio. Left out on purpose: demuxers that open other files (hls, dash, concat, image2 sequences,
     * sdp/rtp) — an upload must never make the decoder read another file on this machine — and raw or exotic
     * game formats no music catalog holds.
     */
    static final String DEMUXERS = String.join(",",
            "aac", "ac3", "ac4", "eac3", "aiff", "amr", "amrnb", "amrwb", "ape", "asf", "au", "caf", "dsf", "dts",
            "dtshd", "flac", "gsm", "iamf", "iff", "ircam", "loas", "mlp", "truehd", "mmf", "mp3", "mpc", "mpc8",
            "nistsphere", "ogg", "oma", "osq", "qcp", "rka", "shn", "sox", "tak", "tta", "voc", "w64", "wav", "wv", "xwma",
            "mov", "matroska", "avi", "flv", "mpeg", "mpegts", "rm", "nut", "mxf", "wtv", "dv",
            "png_pipe", "jpeg_pipe", "gif", "gif_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe", "apng");

    private final FfmpegPrograms programs;
    private volatile DecoderInfo info;

    FfmpegDecoder(FfmpegPrograms programs) {
        this.programs = programs;
    }

    /** The ffmpeg and ffprobe shipped in the bytedeco jar. */
    public static FfmpegDecoder bundled() {
        return new FfmpegDecoder(FfmpegPrograms.bundled());
    }

    @Override
    public DecoderInfo describe() {
        DecoderInfo i = info;
        if (i == null) {
            i = new DecoderInfo("ffmpeg", askVersion());
            info = i;
        }
        return i;
    }

    private String askVersion() {
        try (ChildProcess child = ChildProcess.start(programs.ffmpeg(List.of("-hide_banner", "-version")),
                "ffmpeg-version", Duration.ofSeconds(10))) {
            String out = new String(child.stdout().readNBytes(4096), StandardCharsets.UTF_8);
            Matcher m = VERSION.matcher(out);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public AudioInfo probe(Path file) throws DecodeException {
        checkReadable(file);
        List<String> args = List.of("-hide_banner", "-v", "error", "-protocol_whitelist", "file,pipe",
                "-format_whitelist", DEMUXERS, "-show_streams", "-show_format", "-select_streams", "a:0", "-of", "json", url(file));
        String json;
        int exit;
        StderrTail stderr;
        try (ChildProcess child = ChildProcess.start(programs.ffprobe(args), "ffprobe", PROBE_BUDGET)) {
            json = new String(child.stdout().readNBytes(MAX_PROBE_JSON), StandardCharsets.UTF_8);
            child.stdout().transferTo(OutputStream.nullOutputStream()); // huge tags: keep the head, never block ffprobe
            exit = child.awaitExit();
            if (child.timedOut()) {
                throw new DecodeException(DecodeError.TIMEOUT, "Reading the file's headers took longer than "
                        + PROBE_BUDGET.toSeconds() + " s and was stopped.");
            }
            stderr = child.stderr();
        } catch (IOException e) {
            throw new DecodeException(DecodeError.IO, "Could not run ffprobe on the file: " + e.getMessage() + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecodeException(DecodeError.IO, "Reading the file's headers was interrupted.", e);
        }
        AudioInfo info = FfprobeJson.interpret(exit, json, stderr.text(), stderr.lastLine());
        AudioLimits.check(info);
        return withWavHeaderDuration(file, info, FfprobeJson.bitsPerSample(json));
    }

    /** A WAV's own header says how long it was meant to be; ffmpeg only reports what the file still holds. */
    private static AudioInfo withWavHeaderDuration(Path file, AudioInfo info, int bits) throws DecodeException {
        if (!info.container().equals("wav") || !info.codec().startsWith("pcm_") || bits <= 0) return info;
        OptionalLong dataBytes = WavDataChunk.declaredBytes(file);
        if (dataBytes.isEmpty()) return info;
        double headerSeconds = dataBytes.getAsLong() * 8.0 / bits / info.channels() / info.sampleRate();
        if (info.durationSeconds() != null && headerSeconds <= info.durationSeconds() + 0.001) return info; // ffprobe rounds to µs
        AudioInfo declared = new AudioInfo(info.container(), info.codec(), info.sampleRate(), info.channels(),
                info.channelLayout(), headerSeconds, info.bitRate());
        AudioLimits.check(declared);
        return declared;
    }

    @Override
    public PcmStream open(Path file, AudioInfo info, Duration budget) throws DecodeException {
        checkReadable(file);
        List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error"));
        args.addAll(safeInput(file));
        args.addAll(List.of("-map", "0:a:0", "-vn", "-sn", "-dn",
                // pinned to the probed format, so the pipe stays frame-aligned even if the stream changes mid-way
                "-ac", Integer.toString(info.channels()), "-ar", Integer.toString(info.sampleRate()),
                "-rematrix_maxval", "1.0",
                "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"));
        try {
            return new FfmpegPcmStream(ChildProcess.start(programs.ffmpeg(args), "ffmpeg", budget), info,
                    DeclaredDuration.promised(file, info), budget);
        } catch (IOException e) {
            throw new DecodeException(DecodeError.IO, "Could not start ffmpeg: " + e.getMessage() + ".", e);
        }
    }

    /**
     * The ffmpeg input options that read only {@code file} itself, through the {@link #DEMUXERS} that cannot open
     * other files: for every ffmpeg run on an upload (decoding here, the API's HLS renditions).
     */
    public static List<String> safeInput(Path file) {
        return List.of("-protocol_whitelist", "file,pipe", "-format_whitelist", DEMUXERS, "-i", url(file));
    }

    private static void checkReadable(Path file) throws DecodeException {
        if (!Files.exists(file)) throw new DecodeException(DecodeError.IO, "There is no file at " + file + ".");
        if (!Files.isRegularFile(file)) throw new DecodeException(DecodeError.IO, "The path " + file + " is not a regular file.");
        if (!Files.isReadable(file)) throw new DecodeException(DecodeError.IO, "The file " + file + " cannot be read.");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DecodeException(DecodeError.IO, "The file " + file + " cannot be read: " + e.getMessage() + ".", e);
        }
        if (size == 0) throw new DecodeException(DecodeError.EMPTY_FILE, "The file is empty (0 bytes).");
    }

    /** A {@code file:} URL, so a name like {@code -x} or {@code http:y} is never read as an option or a protocol. */
    private static String url(Path file) {
        return "file:" + file.toAbsolutePath();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FfmpegDecoder[%s]", programs.ffmpeg());
    }
}
