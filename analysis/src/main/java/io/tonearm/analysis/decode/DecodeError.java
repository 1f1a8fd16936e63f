package io.tonearm.analysis.decode;

/** Why a recording could not be decoded. The code is stable for clients; the message is for humans. */
public enum DecodeError {
    /** The file has zero bytes. */
    EMPTY_FILE,
    /** The bytes are not a media container or codec the decoder recognises (random bytes, a text file). */
    NOT_MEDIA,
    /** A media file (an image, a video without sound) with no audio stream. */
    NO_AUDIO_STREAM,
    /** Decoding produced no samples at all. */
    NO_SAMPLES,
    /** The stream ends before the duration its headers declare (or, for MP4, before its index). */
    TRUNCATED,
    /** Damaged headers, a decoder that gave up (non-zero exit), or non-finite or absurd samples. */
    CORRUPT,
    /** The header declares values outside what Tonearm accepts (sample rate, channel count, duration). */
    UNSUPPORTED,
    /** Decoding took longer than the recording's time budget and was stopped. */
    TIMEOUT,
    /** The file could not be read (missing, unreadable). */
    IO;

    /** The code as clients see it, e.g. {@code undecodable_audio.truncated}. */
    public String code() {
        return name().toLowerCase();
    }
}
