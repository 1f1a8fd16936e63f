package io.tonearm.events;

import java.util.Objects;

/**
 * What probing a recording's bytes said (the decoder's {@code AudioInfo}, field for field), carried in an
 * {@link AnalysisRequested} so the job decodes without probing the same bytes again. The bytes are content-addressed:
 * one probe holds for every asset of the recording.
 *
 * @param container       the demuxer's name (e.g. {@code wav}, {@code mp3})
 * @param codec           the audio stream's codec (e.g. {@code pcm_s16le})
 * @param sampleRate      Hz
 * @param channels        channel count
 * @param channelLayout   ffmpeg's layout name, null when unknown
 * @param durationSeconds the declared duration, null when the container states none
 * @param bitRate         bits per second, null when unknown
 */
public record AudioProbe(String container, String codec, int sampleRate, int channels, String channelLayout,
                         Double durationSeconds, Long bitRate) {

    public AudioProbe {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(codec, "codec");
    }
}
