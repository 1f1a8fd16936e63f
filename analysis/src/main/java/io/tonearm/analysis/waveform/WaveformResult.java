package io.tonearm.analysis.waveform;

import java.util.List;

/**
 * Min/max peaks for drawing a waveform thumbnail, values in [-1, 1] rounded to 4 decimals.
 *
 * @param points     number of values in each array (0 for an empty signal)
 * @param duration   seconds of audio the points span
 * @param min        lowest sample of the channel mix (mean of channels) per point
 * @param max        highest sample of the channel mix per point
 * @param channelMin per channel (file order), lowest sample per point; only with {@code channels=per_channel}
 * @param channelMax per channel, highest sample per point; only with {@code channels=per_channel}
 */
public record WaveformResult(int points, double duration, double[] min, double[] max,
                             List<double[]> channelMin, List<double[]> channelMax) {
}
