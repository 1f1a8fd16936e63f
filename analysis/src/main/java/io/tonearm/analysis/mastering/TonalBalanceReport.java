package io.tonearm.analysis.mastering;

import java.util.List;

/**
 * What tonal balance did: the reference (its sha256 when the pipeline resolved one, else its file name), the gain
 * applied per third-octave band, the strength, and the level-matched RMS band distance of the input and of the
 * output to the reference ({@link TonalBalance#distanceDb}).
 */
public record TonalBalanceReport(String reference, List<Band> bands, double strength, double distanceBeforeDb,
                                 double distanceAfterDb) {

    public record Band(double hz, double gainDb) {
    }
}
