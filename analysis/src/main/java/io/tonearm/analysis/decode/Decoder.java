package io.tonearm.analysis.decode;

import java.nio.file.Path;
import java.time.Duration;

/** Turns a media file into PCM. Implementations must never crash or hang the JVM on hostile input. */
public interface Decoder {

    /** Name and version of the decoder, recorded in every result. */
    DecoderInfo describe();

    /** Reads the headers: formats, streams, declared duration. Bounded in time. */
    AudioInfo probe(Path file) throws DecodeException;

    /**
     * Starts decoding the first audio stream at its own sample rate and channel count, as 32-bit float.
     * The stream checks what it decodes (no samples, non-finite or absurd values, truncation against the
     * declared duration, decoder errors) and throws a typed {@link DecodeException} from {@link PcmStream#read}.
     *
     * @param budget wall-clock limit for the whole decode; past it reads fail with {@link DecodeError#TIMEOUT}
     */
    PcmStream open(Path file, AudioInfo info, Duration budget) throws DecodeException;

    record DecoderInfo(String name, String version) {
    }
}
