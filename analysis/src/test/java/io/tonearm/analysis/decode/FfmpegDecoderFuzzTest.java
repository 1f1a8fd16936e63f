package io.tonearm.analysis.decode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Small mp3, flac and ogg files with random byte flips: each either decodes to sane samples or fails with a typed
 * error. The JVM survives (the decoder runs in a child), nothing hangs, no child is left running.
 */
class FfmpegDecoderFuzzTest {

    static final int COPIES_PER_FORMAT = 10;

    @TempDir
    Path dir;

    @Test
    void flippedBytesDecodeSanelyOrFailTyped() throws Exception {
        Decoder decoder = Decoders.standard();
        Random random = new Random(20261121);
        Map<DecodeError, Integer> outcomes = new EnumMap<>(DecodeError.class);
        int clean = 0;
        for (String[] format : new String[][]{{"fuzz.mp3", "libmp3lame"}, {"fuzz.flac", "flac"}, {"fuzz.ogg", "vorbis"}}) {
            Path original = TestMedia.encodedSine(dir, format[0], 44100, 2, 2.0, "-c:a", format[1], "-strict", "-2");
            byte[] bytes = Files.readAllBytes(original);
            for (int copy = 0; copy < COPIES_PER_FORMAT; copy++) {
                byte[] damaged = bytes.clone();
                int flips = 4 << (copy % 5); // 4 to 64 flipped bits
                for (int f = 0; f < flips; f++) damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
                Path file = Files.write(dir.resolve(copy + "-" + format[0]), damaged);
                DecodeError error = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> decodeOrError(decoder, file),
                        () -> file + " hung");
                if (error == null) clean++;
                else outcomes.merge(error, 1, Integer::sum);
            }
        }
        System.out.println("fuzz: " + clean + " decoded, failures " + outcomes);
        assertThat(clean + outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3 * COPIES_PER_FORMAT);
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
    }

    /** Null when the file decoded with every sample finite and within the stream's bound; else the typed error. */
    static DecodeError decodeOrError(Decoder decoder, Path file) {
        try {
            AudioInfo info = decoder.probe(file);
            try (PcmStream pcm = decoder.open(file, info, Duration.ofSeconds(20))) {
                float[] samples = TestMedia.readAll(pcm, info.channels());
                assertThat(samples.length).isPositive();
                for (float x : samples) assertThat(Math.abs(x)).isLessThanOrEqualTo(FfmpegPcmStream.MAX_ABS);
            }
            return null;
        } catch (DecodeException e) {
            assertThat(e.error()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return e.error();
        }
    }
}
