package io.tonearm.launcher.up;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Synthesized WAV files with known content. */
final class TestAudio {
    private TestAudio() {
    }

    /** A mono 16-bit sine of {@code hz} at peak {@code amplitude} (0..1), {@code seconds} long, at 44.1 kHz. */
    static Path sine(Path file, double hz, double amplitude, double seconds) throws IOException {
        int rate = 44100;
        int n = (int) (seconds * rate);
        ByteBuffer pcm = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            pcm.putShort((short) Math.round(32767 * amplitude * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }
}
