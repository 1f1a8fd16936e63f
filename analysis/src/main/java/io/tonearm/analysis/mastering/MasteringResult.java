package io.tonearm.analysis.mastering;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tonearm.analysis.loudness.LoudnessResult;
import io.tonearm.analysis.output.OutputRef;

/**
 * A mastered recording and what mastering did to it.
 *
 * @param output                 the mastered audio (32-bit float WAV at the input's rate and channels)
 * @param before                 EBU R128 loudness of the input (integrated, LRA, true and sample peak, ...)
 * @param after                  the same measurement on the output
 * @param gainDb                 static gain applied before the limiter
 * @param limiterReductionMaxDb  deepest gain reduction of the limiter (0 when it never acted)
 * @param note                   why the level was left as it was (silence), or the target could not be met; else null
 * @param tonalBalance           the EQ toward a reference track; absent (not even null) without one, so results of
 *                               calls without a reference are exactly those of version 1
 */
public record MasteringResult(OutputRef output, LoudnessResult before, LoudnessResult after, double gainDb,
                              double limiterReductionMaxDb, double targetLufs, double ceilingDbtp, String note,
                              @JsonInclude(JsonInclude.Include.NON_NULL) TonalBalanceReport tonalBalance) {

    MasteringResult withTonalBalance(TonalBalanceReport report) {
        return new MasteringResult(output, before, after, gainDb, limiterReductionMaxDb, targetLufs, ceilingDbtp, note, report);
    }
}
