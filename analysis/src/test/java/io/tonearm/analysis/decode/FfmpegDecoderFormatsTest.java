package io.tonearm.analysis.decode;

import io.tonearm.analysis.signal.Tone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every common format and layout decodes at its own rate and channel count, and a 1 kHz sine comes back as one. */
class FfmpegDecoderFormatsTest {

    static final double SECONDS = 2.0;
    static final int LFE = 3;
    static final String[] VIDEO = {"-f", "lavfi", "-i", "testsrc=size=64x48:rate=5:duration=2", "-map", "1:v", "-map", "0:a"};

    record Case(String file, int rate, int channels, boolean lossless, List<String> args) {
        @Override
        public String toString() {
            return file + " " + rate + " Hz " + channels + " ch";
        }
    }

    static Case lossless(String file, int rate, int channels, String... args) {
        return new Case(file, rate, channels, true, List.of(args));
    }

    static Case lossy(String file, int rate, int channels, String... args) {
        return new Case(file, rate, channels, false, List.of(args));
    }

    static String[] withVideo(String... args) {
        String[] all = new String[VIDEO.length + args.length];
        System.arraycopy(VIDEO, 0, all, 0, VIDEO.length);
        System.arraycopy(args, 0, all, VIDEO.length, args.length);
        return all;
    }

    static List<Case> cases() {
        return List.of(
                lossless("s16-8k-mono.wav", 8000, 1, "-c:a", "pcm_s16le"),
                lossless("s16-44k-stereo.wav", 44100, 2, "-c:a", "pcm_s16le"),
                lossless("s24-48k-6ch.wav", 48000, 6, "-c:a", "pcm_s24le"),
                lossless("f32-96k-stereo.wav", 96000, 2, "-c:a", "pcm_f32le"),
                lossless("s16-48k-12ch.wav", 48000, 12, "-c:a", "pcm_s16le"),
                lossless("s24-192k-stereo.wav", 192000, 2, "-c:a", "pcm_s24le"),
                lossless("s16-44k-stereo.aiff", 44100, 2, "-c:a", "pcm_s16be"),
                lossless("11k-mono.flac", 11025, 1, "-c:a", "flac"),
                lossless("44k-stereo.flac", 44100, 2, "-c:a", "flac"),
                lossless("192k-6ch.flac", 192000, 6, "-c:a", "flac"),
                lossy("44k-stereo.mp3", 44100, 2, "-c:a", "libmp3lame", "-b:a", "192k"),
                lossy("16k-mono.mp3", 16000, 1, "-c:a", "libmp3lame", "-b:a", "64k"),
                lossy("44k-stereo.m4a", 44100, 2, "-c:a", "aac", "-b:a", "192k"),
                lossy("48k-6ch.m4a", 48000, 6, "-c:a", "aac", "-b:a", "384k"),
                lossy("44k-stereo.ogg", 44100, 2, "-c:a", "vorbis", "-strict", "-2"),
                lossy("48k-stereo.opus", 48000, 2, "-c:a", "libopus", "-b:a", "128k"),
                lossy("44k-stereo.aac", 44100, 2, "-c:a", "aac", "-b:a", "192k"),
                lossless("44k-stereo-alac.m4a", 44100, 2, "-c:a", "alac"),
                lossless("44k-stereo.wv", 44100, 2, "-c:a", "wavpack"),
                lossless("44k-stereo.tta", 44100, 2, "-c:a", "tta"),
                lossless("44k-stereo.au", 44100, 2, "-c:a", "pcm_s16be"),
                lossless("48k-stereo.w64", 48000, 2, "-c:a", "pcm_s24le"),
                lossless("44k-stereo.caf", 44100, 2, "-c:a", "alac"),
                lossy("44k-stereo.wma", 44100, 2, "-c:a", "wmav2", "-b:a", "192k"),
                lossy("48k-6ch.ac3", 48000, 6, "-c:a", "ac3", "-b:a", "448k"),
                lossy("48k-stereo.mp2", 48000, 2, "-c:a", "mp2", "-b:a", "256k"),
                lossy("video-aac.mp4", 44100, 2, withVideo("-c:v", "mpeg4", "-c:a", "aac")),
                lossless("video-pcm.mov", 48000, 2, withVideo("-c:v", "mpeg4", "-c:a", "pcm_s16le")),
                lossy("video-opus.webm", 48000, 2, withVideo("-c:v", "libvpx", "-c:a", "libopus")),
                lossless("video-flac-6ch.mkv", 48000, 6, withVideo("-c:v", "mpeg4", "-c:a", "flac")));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesAtItsOwnRateAndChannelsWithTheToneIntact(Case c) throws Exception {
        Path file = TestMedia.encodedSine(dir, c.file(), c.rate(), c.channels(), SECONDS, c.args().toArray(String[]::new));
        Decoder decoder = Decoders.standard();

        AudioInfo info = decoder.probe(file);
        assertThat(info.sampleRate()).isEqualTo(c.rate());
        assertThat(info.channels()).isEqualTo(c.channels());
        assertThat(info.durationSeconds()).isCloseTo(SECONDS, within(0.1));

        float[] pcm;
        try (PcmStream stream = decoder.open(file, info, Duration.ofSeconds(30))) {
            pcm = TestMedia.readAll(stream, info.channels());
            assertThat(stream.framesRead()).isEqualTo(pcm.length / c.channels());
        }
        double seconds = pcm.length / (double) c.channels() / c.rate();
        if (c.lossless()) {
            assertThat(seconds).isEqualTo(SECONDS);
        } else {
            assertThat(seconds).isCloseTo(SECONDS, within(0.08));
        }
        int n = Integer.highestOneBit(c.rate() / 2); // about half a second from the middle
        int from = pcm.length / c.channels() / 2 - n / 2;
        for (int ch = 0; ch < c.channels(); ch++) {
            if (ch == LFE && c.channels() == 6 && !c.lossless()) continue; // lossy encoders low-pass the LFE channel of 5.1
            float[] x = TestMedia.channel(pcm, c.channels(), ch);
            assertThat(Tone.frequency(x, from, n, c.rate())).as("channel %d frequency", ch).isCloseTo(1000, within(c.lossless() ? 0.5 : 2.0));
            assertThat(Tone.amplitude(x, from, n)).as("channel %d amplitude", ch).isCloseTo(0.5, within(c.lossless() ? 0.001 : 0.05));
        }
    }

    @Test
    void oneSharedDecoderServesParallelDecodes() throws Exception {
        assertThat(Decoders.standard()).isSameAs(Decoders.standard());
        List<Path> files = List.of(
                TestMedia.encodedSine(dir, "p1.flac", 44100, 2, SECONDS, "-c:a", "flac"),
                TestMedia.encodedSine(dir, "p2.mp3", 48000, 1, SECONDS, "-c:a", "libmp3lame"),
                TestMedia.encodedSine(dir, "p3.wav", 22050, 2, SECONDS, "-c:a", "pcm_s16le"),
                TestMedia.encodedSine(dir, "p4.ogg", 44100, 2, SECONDS, "-c:a", "vorbis", "-strict", "-2"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> seconds = new ArrayList<>();
            for (Path f : files) {
                seconds.add(pool.submit(() -> {
                    AudioInfo info = Decoders.standard().probe(f);
                    try (PcmStream pcm = Decoders.standard().open(f, info, Duration.ofSeconds(30))) {
                        return TestMedia.readAll(pcm, info.channels()).length / (double) info.channels() / info.sampleRate();
                    }
                }));
            }
            for (Future<Double> s : seconds) assertThat(s.get()).isCloseTo(SECONDS, within(0.08));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void describesItselfWithTheBundledVersion() {
        Decoder.DecoderInfo info = Decoders.standard().describe();
        assertThat(info.name()).isEqualTo("ffmpeg");
        assertThat(info.version()).matches("\\d+\\.\\d+.*");
    }
}
