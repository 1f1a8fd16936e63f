package io.tonearm.analysis.transcription;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PitchBendsTest {

    private static float[] contourPeakAt(int bin) {
        float[] c = new float[PitchBends.CONTOUR_BINS];
        c[bin] = 0.9f;
        if (bin > 0) c[bin - 1] = 0.5f;
        return c;
    }

    @Test
    void bendIsTheOffsetOfTheWeightedPeakInThirdsOfASemitone() {
        int key = 48;   // A4, contour bin 144
        assertThat(PitchBends.bend(contourPeakAt(144), 0, key)).isZero();
        assertThat(PitchBends.bend(contourPeakAt(145), 0, key)).isEqualTo(1);
        assertThat(PitchBends.bend(contourPeakAt(138), 0, key)).isEqualTo(-6);
        float[] far = new float[PitchBends.CONTOUR_BINS];
        far[144 + 25] = 0.9f;
        assertThat(PitchBends.bend(far, 0, key)).isEqualTo(25);
    }

    @Test
    void theGaussianPrefersTheNearerOfTwoEqualPeaksAndTiesGoToTheFirst() {
        float[] c = new float[PitchBends.CONTOUR_BINS];
        c[150] = 0.8f;
        c[140] = 0.8f;
        assertThat(PitchBends.bend(c, 0, 48)).isEqualTo(-4);   // 4 bins away beats 6
        float[] flat = new float[PitchBends.CONTOUR_BINS];
        assertThat(PitchBends.bend(flat, 0, 48)).isEqualTo(-25);   // all zero: numpy's argmax takes the first
    }

    @Test
    void windowIsClippedAtTheEdgesAsUpstream() {
        assertThat(PitchBends.bend(contourPeakAt(1), 0, 0)).isEqualTo(1);
        assertThat(PitchBends.bend(contourPeakAt(263), 0, 87)).isEqualTo(2);   // key 87 is bin 261
    }

    @Test
    void framesAreStoredPerKeyAndTruncated() {
        PitchBends b = new PitchBends();
        b.append(contourPeakAt(145), 0);
        b.append(contourPeakAt(143), 0);
        assertThat(b.bend(0, 48)).isEqualTo(1);
        assertThat(b.bend(1, 48)).isEqualTo(-1);
        b.truncate(1);
        assertThat(b.frames()).isEqualTo(1);
    }
}
