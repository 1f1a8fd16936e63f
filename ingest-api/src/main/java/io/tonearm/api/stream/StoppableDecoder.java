package io.tonearm.api.stream;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.DecodeError;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.analysis.decode.PcmStream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A decoder whose reads fail as soon as a stop reason appears (the client went away, the stream gave up), so a
 * worker stops decoding for nobody. The analysis runner then ends the recording with that error.
 */
final class StoppableDecoder implements Decoder {

    private final Decoder decoder;
    private final Supplier<String> stopReason;

    /** @param stopReason null while the work should go on */
    StoppableDecoder(Decoder decoder, Supplier<String> stopReason) {
        this.decoder = decoder;
        this.stopReason = stopReason;
    }

    @Override
    public DecoderInfo describe() {
        return decoder.describe();
    }

    @Override
    public AudioInfo probe(Path file) throws DecodeException {
        return decoder.probe(file);
    }

    @Override
    public PcmStream open(Path file, AudioInfo info, Duration budget) throws DecodeException {
        PcmStream pcm = decoder.open(file, info, budget);
        return new PcmStream() {
            @Override
            public int read(float[] buffer, int maxFrames) throws DecodeException {
                String reason = stopReason.get();
                if (reason != null) {
                    throw new DecodeException(DecodeError.TIMEOUT, "stopped: " + reason);
                }
                return pcm.read(buffer, maxFrames);
            }

            @Override
            public long framesRead() {
                return pcm.framesRead();
            }

            @Override
            public void close() {
                pcm.close();
            }
        };
    }
}
