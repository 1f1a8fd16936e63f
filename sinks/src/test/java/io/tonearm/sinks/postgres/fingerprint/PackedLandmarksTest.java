package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Posting;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packed row format: lossless, compact, and loud about bytes it cannot read. */
class PackedLandmarksTest {

    @Test
    void aRecordingsLandmarksComeBackInTimeOrderAndTakeAboutTwoBytesEach() {
        Landmarks l = Degradations.fingerprint(CatalogSynth.track(42, 60), Map.of());
        PackedLandmarks p = PackedLandmarks.pack(l);
        Landmarks back = p.unpack(l.frames());
        // the analyzer's order within one frame is its pairing order; unpacked, a frame's landmarks come by hash
        assertThat(timeThenHash(back)).isSorted().isEqualTo(sorted(timeThenHash(l)));
        assertThat(back.frames()).isEqualTo(l.frames());
        assertThat(p.count()).isEqualTo(l.count());
        assertThat(p.hashes()).isSorted().doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(l.count());
        assertThat(p.packedTimes().length).as("bytes for %d landmarks in the first minute", l.count())
                .isLessThanOrEqualTo(2 * l.count() + 1);
    }

    private static long[] timeThenHash(Landmarks l) {
        long[] out = new long[l.count()];
        for (int i = 0; i < out.length; i++) out[i] = (long) l.times()[i] << 32 | (l.hashes()[i] & 0xFFFFFFFFL);
        return out;
    }

    private static long[] sorted(long[] values) {
        long[] out = values.clone();
        Arrays.sort(out);
        return out;
    }

    @Test
    void repeatsOfAHashAreGroupedLongTimesAndNegativeHashesSurvive() {
        int[] hashes = {7, -3, 7, 7, Integer.MIN_VALUE, Integer.MAX_VALUE, -3};
        int[] times = {900_000, 5, 3, 0, 1, 2_000_000_000, 5_000};
        PackedLandmarks p = PackedLandmarks.pack(hashes, times);
        assertThat(p.hashes()).containsExactly(Integer.MIN_VALUE, -3, 7, Integer.MAX_VALUE);
        Landmarks back = p.unpack(10);
        assertThat(back.times()).containsExactly(0, 1, 3, 5, 5_000, 900_000, 2_000_000_000);
        assertThat(back.hashes()).containsExactly(7, Integer.MIN_VALUE, 7, -3, -3, 7, Integer.MAX_VALUE);

        Map<Integer, List<Posting>> postings = new HashMap<>();
        p.addPostings("r", new int[]{-5, 7, 99}, postings);
        assertThat(postings).containsOnlyKeys(7);
        assertThat(postings.get(7)).extracting(Posting::time).containsExactly(0, 3, 900_000);
    }

    @Test
    void noLandmarksIsTheVersionByteAlone() {
        PackedLandmarks p = PackedLandmarks.pack(new int[0], new int[0]);
        assertThat(p.hashes()).isEmpty();
        assertThat(p.packedTimes()).containsExactly(PackedLandmarks.VERSION);
        assertThat(p.unpack(0).count()).isZero();
    }

    @Test
    void negativeTimesAreRefused() {
        assertThatThrownBy(() -> PackedLandmarks.pack(new int[]{1}, new int[]{-1})).hasMessageContaining("negative time");
    }

    @Test
    void damagedBytesFailInsteadOfYieldingWrongPostings() {
        PackedLandmarks p = PackedLandmarks.pack(new int[]{1, 2, 2}, new int[]{300, 4, 9});
        byte[] bytes = p.packedTimes();
        assertThatThrownBy(() -> new PackedLandmarks(p.hashes(), Arrays.copyOf(bytes, bytes.length - 1)).count())
                .hasMessageContaining("groups"); // the last hash's time missing
        assertThatThrownBy(() -> new PackedLandmarks(p.hashes(), Arrays.copyOf(bytes, 2)).count())
                .hasMessageContaining("bad varint"); // cut inside a varint (300 takes two bytes)
        assertThatThrownBy(() -> new PackedLandmarks(new int[]{1}, bytes).count())
                .hasMessageContaining("more groups");
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 2;
        assertThatThrownBy(() -> new PackedLandmarks(p.hashes(), otherVersion).count()).hasMessageContaining("unknown version 2");
        assertThatThrownBy(() -> new PackedLandmarks(p.hashes(), new byte[0]).count()).hasMessageContaining("unknown version");
    }
}
