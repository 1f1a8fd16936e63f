package io.tonearm.analysis.decode;

/**
 * What probing a file says before decoding it.
 *
 * @param container   the demuxer's name (e.g. {@code mp3}, {@code mov,mp4,m4a,3gp,3g2,mj2}, {@code wav})
 * @param codec       the audio stream's codec (e.g. {@code mp3}, {@code aac}, {@code flac}, {@code pcm_s24le})
 * @param sampleRate  the audio stream's sample rate in Hz
 * @param channels    channel count
 * @param channelLayout ffmpeg's layout name (e.g. {@code stereo}, {@code 5.1}); null when unknown
 * @param durationSeconds the declared duration; null when the container does not say
 * @param bitRate     bits per second, null when unknown
 */
public record AudioInfo(String container, String codec, int sampleRate, int channels, String channelLayout,
                        Double durationSeconds, Long bitRate) {
}
