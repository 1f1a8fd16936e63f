package io.tonearm.analysis.decode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Hostile and broken inputs fail fast with a typed error and a human sentence; nothing hangs, nothing is left running. */
class FfmpegDecoderBrokenInputTest {

    static final Duration LIMIT = Duration.ofSeconds(30);
    final Decoder decoder = Decoders.standard();

    @TempDir
    Path dir;

    @AfterEach
    void noChildLeftBehind() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList()).isEmpty();
    }

    /** Probes and decodes to the end; returns the typed error, failing the test if the file decoded cleanly. */
    DecodeException failure(Path file) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            DecodeException e = catchThrowableOfType(DecodeException.class, () -> {
                AudioInfo info = decoder.probe(file);
                try (PcmStream pcm = decoder.open(file, info, LIMIT)) {
                    TestMedia.readAll(pcm, info.channels());
                }
            });
            assertThat(e).as("decoding %s should fail", file.getFileName()).isNotNull();
            assertThat(e.getMessage()).matches("[A-Za-z].*\\.").doesNotContain("0x");
            return e;
        });
    }

    Path sine(String name, String... codecArgs) throws Exception {
        return TestMedia.encodedSine(dir, name, 44100, 2, 10, codecArgs);
    }

    Path truncated(Path file, double keep) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Files.write(dir.resolve("truncated-" + file.getFileName()), Arrays.copyOf(all, (int) (all.length * keep)));
    }

    @Test
    void missingFile() {
        assertThat(failure(dir.resolve("nothing.mp3")).error()).isEqualTo(DecodeError.IO);
    }

    @Test
    void directory() {
        assertThat(failure(dir).error()).isEqualTo(DecodeError.IO);
    }

    @Test
    void zeroLength() throws IOException {
        assertThat(failure(Files.createFile(dir.resolve("empty.mp3"))).error()).isEqualTo(DecodeError.EMPTY_FILE);
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[100_000];
        new Random(1).nextBytes(noise);
        assertThat(failure(Files.write(dir.resolve("noise.bin"), noise)).error()).isEqualTo(DecodeError.NOT_MEDIA);
        assertThat(failure(Files.write(dir.resolve("noise.mp3"), noise)).error()).isEqualTo(DecodeError.NOT_MEDIA);
    }

    @Test
    void textFile() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "Tonearm test fixture\n".repeat(200), StandardCharsets.UTF_8);
        assertThat(failure(text).error()).isEqualTo(DecodeError.NOT_MEDIA);
    }

    @Test
    void aPlaylistCannotMakeTheDecoderReadAnotherFile() throws Exception {
        Path target = sine("secret.wav", "-c:a", "pcm_s16le");
        for (String name : new String[]{"playlist.m3u8", "playlist.mp3"}) {
            Path playlist = Files.writeString(dir.resolve(name), "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n"
                    + target + "\n#EXT-X-ENDLIST\n");
            assertThat(failure(playlist).error()).as(name).isEqualTo(DecodeError.NOT_MEDIA);
        }
        Path concat = Files.writeString(dir.resolve("list.ffconcat"), "ffconcat version 1.0\nfile '" + target + "'\n");
        assertThat(failure(concat).error()).isEqualTo(DecodeError.NOT_MEDIA);
    }

    @Test
    void pngImage() throws Exception {
        Path png = TestMedia.ffmpeg(dir.resolve("image.png"), "-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1");
        DecodeException e = failure(png);
        assertThat(e.error()).isEqualTo(DecodeError.NO_AUDIO_STREAM);
        assertThat(e.getMessage()).contains("no audio stream");
    }

    @Test
    void videoWithoutAudio() throws Exception {
        Path mp4 = TestMedia.ffmpeg(dir.resolve("silent-film.mp4"), "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5:duration=2", "-c:v", "mpeg4");
        assertThat(failure(mp4).error()).isEqualTo(DecodeError.NO_AUDIO_STREAM);
    }

    @Test
    void truncatedMp3() throws Exception {
        DecodeException e = failure(truncated(sine("cut.mp3", "-c:a", "libmp3lame"), 0.5));
        assertThat(e.error()).isIn(DecodeError.TRUNCATED, DecodeError.CORRUPT);
        assertThat(e.getMessage()).contains("10.00 s");
    }

    @Test
    void truncatedFlac() throws Exception {
        assertThat(failure(truncated(sine("cut.flac", "-c:a", "flac"), 0.6)).error())
                .isIn(DecodeError.TRUNCATED, DecodeError.CORRUPT);
    }

    @Test
    void truncatedWav() throws Exception {
        DecodeException e = failure(truncated(sine("cut.wav", "-c:a", "pcm_s16le"), 0.7));
        assertThat(e.error()).isEqualTo(DecodeError.TRUNCATED);
        assertThat(e.getMessage()).contains("7.00 s of the 10.00 s");
    }

    @Test
    void truncatedAiff() throws Exception {
        assertThat(failure(truncated(sine("cut.aiff", "-c:a", "pcm_s16be"), 0.5)).error()).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void truncatedM4aWithItsIndexAtTheEnd() throws Exception {
        assertThat(failure(truncated(sine("cut.m4a", "-c:a", "aac"), 0.5)).error()).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void truncatedM4aWithItsIndexFirst() throws Exception {
        assertThat(failure(truncated(sine("cut-faststart.m4a", "-c:a", "aac", "-movflags", "+faststart"), 0.5)).error())
                .isIn(DecodeError.TRUNCATED, DecodeError.CORRUPT);
    }

    @Test
    void anEstimatedDurationIsNoPromise() throws Exception {
        // VBR, no Xing frame, 5 s of silence first: ffmpeg estimates from the first frame's 32 kb/s and overstates
        Path file = TestMedia.ffmpeg(dir.resolve("vbr-no-xing.mp3"), "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo:d=5",
                "-f", "lavfi", "-i", "sine=f=1000:r=44100:d=10", "-filter_complex",
                "[1]aformat=channel_layouts=stereo[s];[0][s]concat=n=2:v=0:a=1",
                "-c:a", "libmp3lame", "-q:a", "2", "-write_xing", "0");
        AudioInfo info = decoder.probe(file);
        assertThat(info.durationSeconds()).isGreaterThan(20.0);
        try (PcmStream pcm = decoder.open(file, info, LIMIT)) {
            assertThat(TestMedia.readAll(pcm, 2).length / 2 / 44100.0).isCloseTo(15.0, within(0.1));
        }
        assertThat(DeclaredDuration.hasLengthFrame(file)).isFalse();
        assertThat(DeclaredDuration.hasLengthFrame(sine("with-xing.mp3", "-c:a", "libmp3lame", "-id3v2_version", "4",
                "-metadata", "title=" + "x".repeat(5000)))).isTrue();
    }

    @Test
    void aWholeFileIsNotTruncated() throws Exception {
        for (String name : new String[]{"whole.mp3", "whole.flac", "whole.wav", "whole.m4a", "whole.ogg", "whole.opus"}) {
            Path file = sine(name, name.endsWith("ogg") ? new String[]{"-c:a", "vorbis", "-strict", "-2"} : new String[0]);
            AudioInfo info = decoder.probe(file);
            try (PcmStream pcm = decoder.open(file, info, LIMIT)) {
                double seconds = TestMedia.readAll(pcm, 2).length / 2.0 / info.sampleRate();
                assertThat(seconds).as(name).isCloseTo(10.0, within(0.06));
            }
        }
    }

    @ParameterizedTest(name = "{0} Hz, {1} channels, {2} data bytes")
    @CsvSource({
            "0, 2, 0",
            "4000000000, 2, 0",
            "44100, 0, 0",
            "44100, 100, 0",
            "1, 1, 0",
            "1000000, 2, 0",
            "8000, 1, 4000000000"})
    void absurdWavHeader(long rate, int channels, long declaredDataBytes) throws IOException {
        DecodeException e = failure(absurdWav(rate, channels, declaredDataBytes));
        assertThat(e.error()).isEqualTo(DecodeError.UNSUPPORTED);
    }

    /** A 16-bit PCM WAV with 1 s of real data behind whatever its header claims. */
    Path absurdWav(long rate, int channels, long declaredDataBytes) throws IOException {
        int frames = 44100;
        int data = frames * 2 * Math.max(channels, 1);
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels)
                .putInt((int) rate).putInt((int) (rate * 2 * Math.max(channels, 1))).putShort((short) (2 * Math.max(channels, 1)))
                .putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) (declaredDataBytes == 0 ? data : declaredDataBytes));
        for (int i = 0; i < data / 2; i++) b.putShort((short) (8000 * Math.sin(i * 0.06)));
        return Files.write(dir.resolve("absurd-" + rate + "-" + channels + ".wav"), b.array());
    }

    @Test
    void nonFiniteOrAbsurdSamplesAreCorrupt() throws Exception {
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, -2e4f}) {
            float[] x = TestMedia.sine(1000, 0.5, 44100, 2, 2.0);
            x[2 * 44100 + 1] = bad; // right channel at 1.00 s
            Path file = TestMedia.wav(dir.resolve("bad-" + bad + ".wav"), x, 44100, 2, 32);
            DecodeException e = failure(file);
            assertThat(e.error()).isEqualTo(DecodeError.CORRUPT);
            assertThat(e.getMessage()).contains("at 1.00 s");
        }
    }

    @Test
    void aDecoderThatGivesUpIsCorruptWithItsReason() throws Exception {
        byte[] noise = new byte[20_000];
        new Random(3).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.flac"), noise);
        AudioInfo claimed = new AudioInfo("flac", "flac", 44100, 2, "stereo", 10.0, null); // as if probing had passed
        DecodeException e = assertTimeoutPreemptively(LIMIT, () -> catchThrowableOfType(DecodeException.class, () -> {
            try (PcmStream pcm = decoder.open(file, claimed, LIMIT)) {
                TestMedia.readAll(pcm, 2);
            }
        }));
        assertThat(e.error()).isEqualTo(DecodeError.CORRUPT);
        assertThat(e.getMessage()).startsWith("ffmpeg could not decode the file: ").contains("exit code");
    }

    @Test
    void budgetExceededKillsTheDecoderAndTimesOut() throws Exception {
        Path file = sine("long.flac", "-c:a", "flac");
        AudioInfo info = decoder.probe(file);
        DecodeException e = assertTimeoutPreemptively(LIMIT, () -> catchThrowableOfType(DecodeException.class, () -> {
            try (PcmStream pcm = decoder.open(file, info, Duration.ofMillis(1))) {
                Thread.sleep(200); // the budget runs out while the consumer is busy
                TestMedia.readAll(pcm, 2);
            }
        }));
        assertThat(e).isNotNull();
        assertThat(e.error()).isEqualTo(DecodeError.TIMEOUT);
        assertThat(e.getMessage()).contains("budget");
    }

    @Test
    void closingEarlyKillsTheChild() throws Exception {
        Path file = sine("early.wav", "-c:a", "pcm_s16le");
        AudioInfo info = decoder.probe(file);
        PcmStream pcm = decoder.open(file, info, LIMIT);
        assertThat(pcm.read(new float[256 * 2], 256)).isEqualTo(256);
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isEqualTo(1);
        pcm.close();
        pcm.close(); // idempotent
        assertThat(pcm.read(new float[512], 256)).isEqualTo(-1);
    }
}
