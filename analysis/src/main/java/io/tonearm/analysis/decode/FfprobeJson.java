package io.tonearm.analysis.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what {@code ffprobe -show_streams -show_format -select_streams a:0 -of json} said (its exit code, its JSON,
 * its last error line) into an {@link AudioInfo} or a typed error.
 */
final class FfprobeJson {

    /** ffprobe refuses the header itself (a WAV with 0 Hz, 4 GHz or 0 channels): a media file with an impossible format. */
    private static final Pattern HEADER_REFUSED = Pattern.compile(
            "(?i)invalid sample rate|sample rate .*invalid|channel layout|invalid channel|number of channels|channels? .*(invalid|unsupported)");
    /** ffmpeg's AVPROBE_SCORE_RETRY: at or below it the format guess is a weak one (e.g. from the extension alone). */
    private static final int WEAK_PROBE_SCORE = 25;
    /** ffmpeg recognised the bytes as a demuxer left out of {@link FfmpegDecoder#DEMUXERS}. */
    private static final Pattern NOT_ON_WHITELIST = Pattern.compile("\\[([\\w,]+) @ [^]]*] Format not on whitelist");
    private static final Pattern CLOCK = Pattern.compile("(\\d{1,6}):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FfprobeJson() {
    }

    static AudioInfo interpret(int exitCode, String json, String stderr, String lastLine) throws DecodeException {
        String reason = lastLine == null ? "no reason given" : lastLine;
        if (exitCode != 0) {
            String refused = stderr == null ? null : stderr.lines().filter(l -> HEADER_REFUSED.matcher(l).find())
                    .findFirst().map(StderrTail::stripPrefixes).orElse(null);
            if (refused != null) {
                throw new DecodeException(DecodeError.UNSUPPORTED,
                        "The file's header declares an audio format that cannot be decoded (" + refused + ").");
            }
            Matcher refusedDemuxer = stderr == null ? null : NOT_ON_WHITELIST.matcher(stderr);
            if (refusedDemuxer != null && refusedDemuxer.find()) {
                String demuxer = refusedDemuxer.group(1);
                throw new DecodeException(DecodeError.NOT_MEDIA, demuxer.equals("tty") ? "The file is text, not audio."
                        : "The file is in a format Tonearm does not decode (ffmpeg's " + demuxer + " demuxer).");
            }
            if (stderr != null && stderr.contains("moov atom not found")) { // MP4 writers put the index last
                throw new DecodeException(DecodeError.TRUNCATED,
                        "The file is an MP4/M4A without its index (moov atom): it was cut short before its end.");
            }
            if (reason.startsWith("Invalid data found")) { // no demuxer recognised the bytes
                throw new DecodeException(DecodeError.NOT_MEDIA,
                        "The file is not an audio or video file ffmpeg recognises (" + reason + ").");
            }
            // a demuxer recognised the container but could not read its headers ("End of file": damaged or cut short)
            throw new DecodeException(DecodeError.CORRUPT,
                    "The file's headers are damaged or cut short (" + reason + ").");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new DecodeException(DecodeError.NOT_MEDIA, "The file is not an audio or video file ffmpeg recognises.");
        }
        JsonNode format = root == null ? null : root.get("format");
        if (format == null || format.isMissingNode()) {
            throw new DecodeException(DecodeError.NOT_MEDIA, "The file is not an audio or video file ffmpeg recognises.");
        }
        String container = format.path("format_name").asText("");
        if (container.equals("tty")) { // ffmpeg's ANSI-art demuxer accepts any text file
            throw new DecodeException(DecodeError.NOT_MEDIA, "The file is text, not audio.");
        }
        JsonNode stream = root.path("streams").path(0);
        if (stream.isMissingNode()) {
            throw new DecodeException(DecodeError.NO_AUDIO_STREAM, "The file is a media file (" + container
                    + ") but has no audio stream.");
        }
        int sampleRate = parseInt(stream.path("sample_rate").asText(""));
        int channels = stream.path("channels").asInt(0);
        int score = format.path("probe_score").asInt(100);
        if (score <= WEAK_PROBE_SCORE && (sampleRate <= 0 || channels <= 0)) {
            throw new DecodeException(DecodeError.NOT_MEDIA, "The file is not an audio file: ffmpeg found no valid "
                    + container + " frames in it.");
        }
        Double duration = number(stream.path("duration"));
        if (duration == null) duration = clock(stream.path("tags").path("DURATION").asText("")); // Matroska/WebM
        if (duration == null && format.path("nb_streams").asInt(0) == 1) {
            duration = number(format.path("duration")); // the container's duration is the audio's only when it holds nothing else
        }
        Long bitRate = longOrNull(stream.path("bit_rate"));
        if (bitRate == null) bitRate = longOrNull(format.path("bit_rate"));
        String layout = stream.path("channel_layout").asText(null);
        return new AudioInfo(container, stream.path("codec_name").asText("unknown"), sampleRate, channels,
                layout, duration, bitRate);
    }

    /** Bits per sample of a PCM stream, 0 when not PCM or unknown. */
    static int bitsPerSample(String json) {
        try {
            return MAPPER.readTree(json).path("streams").path(0).path("bits_per_sample").asInt(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int parseInt(String s) {
        try {
            long v = Long.parseLong(s.trim());
            return v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? -1 : (int) v;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Double number(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return null;
        try {
            double v = Double.parseDouble(node.asText());
            return Double.isFinite(v) && v >= 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code HH:MM:SS.fraction}, as Matroska muxers tag each stream; null when absent or malformed. */
    static Double clock(String text) {
        Matcher m = CLOCK.matcher(text.trim());
        if (!m.matches()) return null;
        return Integer.parseInt(m.group(1)) * 3600.0 + Integer.parseInt(m.group(2)) * 60.0 + Double.parseDouble(m.group(3));
    }

    private static Long longOrNull(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return null;
        try {
            return Long.parseLong(node.asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
