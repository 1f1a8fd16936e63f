package io.tonearm.analysis.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether a declared duration is a promise the truncation check may hold the file to, or only ffmpeg's estimate.
 * Raw ADTS AAC (and raw AC-3, DTS, MPEG-PS/TS) has no length field, and an MP3 without a Xing/Info/VBRI frame has none either: ffmpeg then divides
 * the file size by the first frame's bit rate, which for a VBR file starting with silence (32 kb/s) overstates
 * 30 s as 88 s. Those files are never reported TRUNCATED (a cut CBR MP3 without the frame could not be told
 * from a whole one anyway: its estimate shrinks with it).
 */
final class DeclaredDuration {

    private static final int SCAN_BYTES = 64 * 1024;

    private DeclaredDuration() {
    }

    /** The declared duration when the file's headers state it, else null (do not check truncation). */
    static Double promised(Path file, AudioInfo info) {
        if (info.durationSeconds() == null) return null;
        return switch (info.container()) {
            case "aac", "ac3", "eac3", "dts", "loas", "amr", "mpeg", "mpegts" -> null; // raw streams: size ÷ bit rate
            case "mp3" -> hasLengthFrame(file) ? info.durationSeconds() : null;
            default -> info.durationSeconds();
        };
    }

    /** True when the first MPEG audio frame (after any ID3v2 tag) is a Xing, Info or VBRI frame carrying the length. */
    static boolean hasLengthFrame(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long start = id3v2Size(ch);
            ByteBuffer buf = ByteBuffer.allocate(SCAN_BYTES);
            ch.read(buf, start);
            byte[] b = buf.array();
            int n = buf.position();
            for (int i = 0; i + 1 < n; i++) {
                if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xE0) == 0xE0) { // frame sync
                    String head = new String(b, i, Math.min(64, n - i), StandardCharsets.ISO_8859_1);
                    return head.contains("Xing") || head.contains("Info") || head.contains("VBRI");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Bytes taken by a leading ID3v2 tag (header, body, footer), 0 when there is none. */
    private static long id3v2Size(FileChannel ch) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(10);
        ch.read(h, 0);
        byte[] b = h.array();
        if (h.position() < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3') return 0;
        long size = ((b[6] & 0x7F) << 21) | ((b[7] & 0x7F) << 14) | ((b[8] & 0x7F) << 7) | (b[9] & 0x7F); // syncsafe
        boolean footer = (b[5] & 0x10) != 0;
        return 10 + size + (footer ? 10 : 0);
    }
}
