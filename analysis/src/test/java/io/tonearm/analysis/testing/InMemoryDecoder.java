package io.tonearm.analysis.testing;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.PcmStream;

import java.nio.file.Path;
import java.time.Duration;

/** A decoder over synthesized PCM, so analyzer tests exercise the real runner and fan-out without ffmpeg. */
public final class InMemoryDecoder implements Decoder {

    private final float[] interleaved;
    private final AudioInfo info;

    public InMemoryDecoder(float[] interleaved, int sampleRate, int channels) {
        this(interleaved, sampleRate, channels, null);
    }

    /** @param channelLayout ffmpeg's layout name as a real probe would report it (e.g. {@code 5.1}); null when unknown */
    public InMemoryDecoder(float[] interleaved, int sampleRate, int channels, String channelLayout) {
        this.interleaved = interleaved;
        this.info = new AudioInfo("memory", "pcm_f32le", sampleRate, channels, channelLayout,
                interleaved.length / (double) channels / sampleRate, null);
    }

    @Override
    public DecoderInfo describe() {
        return new DecoderInfo("in-memory", "test");
    }

    @Override
    public AudioInfo probe(Path file) {
        return info;
    }

    @Override
    public PcmStream open(Path file, AudioInfo ignored, Duration budget) {
        return new PcmStream() {
            private int pos;

            @Override
            public int read(float[] buffer, int maxFrames) throws DecodeException {
                int ch = info.channels();
                int frames = Math.min(maxFrames, (interleaved.length - pos) / ch);
                if (frames <= 0) return -1;
                System.arraycopy(interleaved, pos, buffer, 0, frames * ch);
                pos += frames * ch;
                return frames;
            }

            @Override
            public long framesRead() {
                return pos / info.channels();
            }

            @Override
            public void close() {
            }
        };
    }
}
