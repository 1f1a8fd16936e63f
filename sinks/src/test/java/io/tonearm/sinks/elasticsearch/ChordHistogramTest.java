package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ChordHistogramTest {

    /** A chords result with one 2-second segment per label, in order. */
    static ObjectNode chordsResult(String... labels) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ArrayNode chords = result.putArray("chords");
        for (int i = 0; i < labels.length; i++) {
            chords.addObject().put("start", 2.0 * i).put("end", 2.0 * i + 2).put("label", labels[i]);
        }
        result.putArray("summary");
        return result;
    }

    static float[] histogram(String... labels) {
        return ChordHistogram.of(chordsResult(labels));
    }

    @Test
    void binsMajorByRootAndMinorAfterTwelve() {
        assertThat(ChordHistogram.bin("C:maj")).isEqualTo(0);
        assertThat(ChordHistogram.bin("A:min")).isEqualTo(12 + 9);
        assertThat(ChordHistogram.bin("Bb:min7")).isEqualTo(12 + 10);
        assertThat(ChordHistogram.bin("F#:maj/3")).isEqualTo(6);
        assertThat(ChordHistogram.bin("G:7")).isEqualTo(7);
        assertThat(ChordHistogram.bin("N")).isEqualTo(-1);
        assertThat(ChordHistogram.bin("C:dim")).isEqualTo(-1);
        assertThat(ChordHistogram.bin("Q:maj")).isEqualTo(-1);
    }

    @Test
    void sharesOfTimeSumToOneWithoutNoChord() {
        float[] bins = histogram("A:min", "A:min", "C:maj", "N");
        assertThat(bins[12 + 9]).isCloseTo(2f / 3, within(1e-6f));
        assertThat(bins[0]).isCloseTo(1f / 3, within(1e-6f));
    }

    @Test
    void fallsBackToTheSummaryAndIsNullWithoutTriads() {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.putArray("summary").addObject().put("label", "D:min").put("duration", 10.0).put("segments", 3);
        assertThat(ChordHistogram.of(result)[12 + 2]).isEqualTo(1f);
        assertThat(histogram("N", "N")).isNull();
    }
}
