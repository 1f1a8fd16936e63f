package io.tonearm.api.renditions;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.ChildProcess;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.FfmpegDecoder;
import io.tonearm.analysis.decode.FfmpegPrograms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The HLS rendition: the bundled ffmpeg, as a child process with a wall-clock budget (like the decoder), encodes
 * the first audio stream to AAC-LC at {@value #BITRATE} in MPEG-TS segments of about {@value #SEGMENT_SECONDS}
 * seconds and writes a VOD playlist whose segment URIs are bare file names, so they resolve relative to the
 * playlist's URL. MPEG-TS rather than fMP4 or packed audio: every HLS player (Safari, hls.js, ExoPlayer) takes it
 * and each segment is a file the project's decoder reads on its own. The input is opened only through the
 * decoder's safe input options (no demuxer that could read another file: an uploaded playlist stays inert).
 */
final class HlsRendition implements RenditionProducer {

    static final String PLAYLIST = "index.m3u8";
    static final String BITRATE = "128k";
    static final int SEGMENT_SECONDS = 6;
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    static final String SEGMENT_TYPE = "video/mp2t";
    private static final Pattern SEGMENT = Pattern.compile("segment-\\d{5}\\.ts");
    /** Rates ffmpeg's AAC encoder takes, up to 48 kHz (enough for playback); others are resampled to 48 kHz. */
    private static final Set<Integer> AAC_RATES = Set.of(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000);

    private final Decoder decoder;
    private final Supplier<FfmpegPrograms> programs;
    private final Duration budget;

    HlsRendition(Decoder decoder, Supplier<FfmpegPrograms> programs, Duration budget) {
        this.decoder = decoder;
        this.programs = programs;
        this.budget = budget;
    }

    @Override
    public RenditionKind kind() {
        return RenditionKind.HLS;
    }

    @Override
    public List<RenditionFile> produce(Path audio, Path workDir) throws RenditionException {
        AudioInfo info;
        try {
            info = decoder.probe(audio);
        } catch (DecodeException e) {
            throw new RenditionException("undecodable_audio." + e.error().code(), e.getMessage());
        }
        List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-v", "error"));
        args.addAll(FfmpegDecoder.safeInput(audio));
        args.addAll(List.of("-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1",
                "-c:a", "aac", "-b:a", BITRATE,
                "-ac", Integer.toString(Math.min(2, info.channels())),
                "-ar", Integer.toString(AAC_RATES.contains(info.sampleRate()) ? info.sampleRate() : 48000),
                "-fflags", "+bitexact", "-flags:a", "+bitexact", // same bytes in, same segments out: blobs dedupe
                "-f", "hls", "-hls_time", Integer.toString(SEGMENT_SECONDS), "-hls_playlist_type", "vod",
                "-hls_list_size", "0", "-hls_segment_type", "mpegts",
                "-hls_segment_filename", workDir.resolve("segment-%05d.ts").toString(),
                workDir.resolve(PLAYLIST).toString()));
        int exit;
        String lastError;
        ProcessBuilder command = programs.get().ffmpeg(args).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (ChildProcess ffmpeg = ChildProcess.start(command, "ffmpeg-hls", budget)) {
            exit = ffmpeg.awaitExit();
            if (ffmpeg.timedOut()) {
                throw new RenditionException("timeout", "encoding the HLS rendition took longer than "
                        + budget.toSeconds() + " s and was stopped");
            }
            lastError = ffmpeg.lastErrorLine();
        } catch (IOException e) {
            throw new RenditionException("internal_error", "could not run ffmpeg: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenditionException("interrupted", "the HLS encode was interrupted");
        }
        if (exit != 0) {
            throw new RenditionException("undecodable_audio.corrupt", "ffmpeg could not encode the audio (exit "
                    + exit + (lastError == null ? "" : ": " + lastError) + ")");
        }
        return files(workDir);
    }

    /** The playlist first, then the segments it lists, each checked to be one of ours. */
    private static List<RenditionFile> files(Path workDir) throws RenditionException {
        Path playlist = workDir.resolve(PLAYLIST);
        List<String> lines;
        try {
            lines = Files.readAllLines(playlist, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RenditionException("internal_error", "ffmpeg wrote no playlist: " + e.getMessage());
        }
        List<RenditionFile> out = new ArrayList<>();
        out.add(new RenditionFile(PLAYLIST, PLAYLIST_TYPE, playlist));
        for (String line : lines) {
            String uri = line.strip();
            if (uri.isEmpty() || uri.startsWith("#")) {
                continue;
            }
            if (!SEGMENT.matcher(uri).matches() || !Files.isRegularFile(workDir.resolve(uri))) {
                throw new RenditionException("internal_error", "unexpected segment in the playlist: " + uri);
            }
            out.add(new RenditionFile(uri, SEGMENT_TYPE, workDir.resolve(uri)));
        }
        if (out.size() == 1) {
            throw new RenditionException("undecodable_audio.no_samples", "the encode produced no segments");
        }
        return out;
    }
}
