package io.tonearm.analysis.loudness;

import java.util.List;

/**
 * EBU R128 / ITU-R BS.1770-4 loudness of one recording. The first six fields are a client contract; every
 * level is null when nothing passes the gate (silence, or too short for a 400 ms block / 3 s window), never
 * -Infinity.
 *
 * @param integratedLufs        gated programme loudness (LUFS)
 * @param loudnessRange         EBU Tech 3342 LRA (LU)
 * @param truePeakDbtp          highest true peak over all channels (dBTP); null when disabled or silent
 * @param samplePeakDbfs        highest sample magnitude over all channels (dBFS)
 * @param maxMomentaryLufs      loudest 400 ms window, sliding by 10 ms (by 100 ms if the rate is not a multiple of 100 Hz)
 * @param maxShortTermLufs      loudest 3 s window, sliding likewise
 * @param loudnessRangeLowLufs  10th percentile of the gated short-term loudness
 * @param loudnessRangeHighLufs 95th percentile of the gated short-term loudness
 * @param relativeGateLufs      the relative gate threshold of the integrated measurement
 * @param gatedBlocks           400 ms blocks that passed both gates
 * @param channelTruePeaksDbtp  true peak per channel, in the file's channel order
 * @param truePeakOversampling  the oversampling factor used (4 below 96 kHz, 2 below 192 kHz, else 1)
 */
public record LoudnessResult(Double integratedLufs, Double loudnessRange, Double truePeakDbtp, Double samplePeakDbfs,
                             Double maxMomentaryLufs, Double maxShortTermLufs,
                             Double loudnessRangeLowLufs, Double loudnessRangeHighLufs, Double relativeGateLufs,
                             int gatedBlocks, List<Double> channelTruePeaksDbtp, Integer truePeakOversampling) {
}
