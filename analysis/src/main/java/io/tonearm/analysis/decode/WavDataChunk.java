package io.tonearm.analysis.decode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The size a RIFF/WAVE header declares for its {@code data} chunk. ffmpeg derives a WAV's duration from the
 * file's actual size, so a truncated WAV "declares" exactly what is left; the header's own count is what tells
 * how long the recording was meant to be.
 */
final class WavDataChunk {

    private static final int MAX_CHUNKS = 64;

    private WavDataChunk() {
    }

    /**
     * The declared byte length of the data chunk, or empty when the file is not plain RIFF/WAVE or the writer left
     * the size open (0 or 0xFFFFFFFF, as streaming writers do; RF64 keeps it elsewhere).
     */
    static OptionalLong declaredBytes(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            ByteBuffer head = le(in.readNBytes(12));
            if (head.limit() < 12 || head.getInt(0) != fourCC("RIFF") || head.getInt(8) != fourCC("WAVE")) {
                return OptionalLong.empty();
            }
            for (int i = 0; i < MAX_CHUNKS; i++) {
                ByteBuffer chunk = le(in.readNBytes(8));
                if (chunk.limit() < 8) return OptionalLong.empty();
                long size = chunk.getInt(4) & 0xFFFFFFFFL;
                if (chunk.getInt(0) == fourCC("data")) {
                    return size == 0 || size == 0xFFFFFFFFL ? OptionalLong.empty() : OptionalLong.of(size);
                }
                long skip = size + (size & 1); // chunks are word-aligned
                if (in.skip(skip) < skip) return OptionalLong.empty();
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int fourCC(String s) {
        return (s.charAt(0)) | (s.charAt(1) << 8) | (s.charAt(2) << 16) | (s.charAt(3) << 24);
    }
}
