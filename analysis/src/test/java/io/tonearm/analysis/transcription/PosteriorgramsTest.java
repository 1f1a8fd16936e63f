package io.tonearm.analysis.transcription;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PosteriorgramsTest {

    /** Ten minutes of frames (86.13 per second): held at 16 bits, half of float32, in whole blocks. */
    @Test
    void tenMinutesAreHeldAtHalfTheFloat32Size() {
        int frames = BasicPitchWindows.frameCount(10L * 60 * 22050);
        Posteriorgrams g = new Posteriorgrams();
        float[] note = new float[88], onset = new float[88];
        Random r = new Random(3);
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < 88; k++) {
                note[k] = r.nextFloat();
                onset[k] = r.nextFloat();
            }
            g.append(note, 0, onset, 0);
        }

        assertThat(g.frames()).isEqualTo(frames).isBetween(51_900, 52_000);
        assertThat(g.float32Bytes()).isEqualTo(2L * frames * 88 * 4);                     // ≈ 36.6 MB
        long blocks = (frames + Posteriorgrams.BLOCK_FRAMES - 1) / Posteriorgrams.BLOCK_FRAMES;
        assertThat(g.bytesHeld()).isEqualTo(blocks * Posteriorgrams.BLOCK_FRAMES * 88 * 2 * 2)   // ≈ 18.3 MB
                .isLessThanOrEqualTo(g.float32Bytes() / 2 + Posteriorgrams.BLOCK_FRAMES * 88 * 4);
        assertThat(g.note(frames - 1, 87)).isCloseTo(note[87], within(1f / 65535));
        assertThat(g.onset(frames - 1, 0)).isCloseTo(onset[0], within(1f / 65535));
    }

    @Test
    void valuesRoundTripWithinHalfAStepAndAreClamped() {
        Posteriorgrams g = new Posteriorgrams();
        float[] note = new float[88], onset = new float[88];
        note[0] = 0.3f;
        note[1] = 0.5f;
        note[2] = 1.2f;
        note[3] = -0.1f;
        note[4] = Float.NaN;
        g.append(note, 0, onset, 0);

        assertThat(g.note(0, 0)).isCloseTo(0.3f, within(0.51f / 65535));
        assertThat(g.note(0, 1)).isCloseTo(0.5f, within(0.51f / 65535));
        assertThat(g.note(0, 2)).isEqualTo(1f);
        assertThat(g.note(0, 3)).isZero();
        assertThat(g.note(0, 4)).isZero();
    }

    @Test
    void truncateDropsTheTailAndItsBlocks() {
        Posteriorgrams g = new Posteriorgrams();
        float[] zeros = new float[88];
        for (int t = 0; t < Posteriorgrams.BLOCK_FRAMES + 10; t++) g.append(zeros, 0, zeros, 0);
        long two = g.bytesHeld();

        g.truncate(Posteriorgrams.BLOCK_FRAMES);

        assertThat(g.frames()).isEqualTo(Posteriorgrams.BLOCK_FRAMES);
        assertThat(g.bytesHeld()).isEqualTo(two / 2);
    }
}
