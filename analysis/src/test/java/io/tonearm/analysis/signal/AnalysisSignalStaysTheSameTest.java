package io.tonearm.analysis.signal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every analyzer reads the analysis signal, and stored results name their analyzer's version, not the resampler's:
 * speed work on the converter must give the same samples bit for bit, or every stored result would silently
 * differ from what the same version computes now. (An attempt to compute outputs in pairs kept them, and was no faster at 44.1 kHz;
 * so did one that decimated a block of outputs tap by tap for the JIT to vectorize, and JDK 17's C2 made it no faster.)
 */
class AnalysisSignalStaysTheSameTest {

    @Test
    void theAnalysisSignalIsBitForBitWhatItWas() throws Exception {
        Map<String, String> digests = new LinkedHashMap<>();
        for (int rate : new int[]{44100, 48000, 96000, 16000, 44056, 88200, 22050, 176400}) {
            for (int channels : new int[]{1, 2}) {
                Random rng = new Random(rate + channels);
                float[] x = new float[rate * channels * 3 / 2];
                for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * rng.nextGaussian() + 0.2 * Math.sin(i * 0.01));
                float[] y = AnalysisSignalConverterTest.convert(x, rate, channels, 4096, 1000, 17, 4096 * 3);
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                ByteBuffer b = ByteBuffer.allocate(4 * y.length);
                for (float v : y) b.putFloat(v);
                md.update(b.array());
                digests.put(rate + "/" + channels, HexFormat.of().formatHex(md.digest()).substring(0, 16));
            }
        }
        assertThat(digests).isEqualTo(EXPECTED);
    }

    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("44100/1", "7cd98b092ca849a6");
        EXPECTED.put("44100/2", "d0f5e0b6896cc590");
        EXPECTED.put("48000/1", "d72067107b021fc7");
        EXPECTED.put("48000/2", "288b29a5993a1a62");
        EXPECTED.put("96000/1", "3be1b30164c041b6");
        EXPECTED.put("96000/2", "6bf4b4c0057b6616");
        EXPECTED.put("16000/1", "a5bc6647e0d45cab");
        EXPECTED.put("16000/2", "d314da8a2bcd50e8");
        EXPECTED.put("44056/1", "9d697c8edf0f881f");
        EXPECTED.put("44056/2", "14b9ab8ad387e7a5");
        // whole decimation factors 4 and 8 (44.1 kHz is 2) and the pass-through, pinned too
        EXPECTED.put("88200/1", "87085cb88b1e7128");
        EXPECTED.put("88200/2", "54749a3374b1384f");
        EXPECTED.put("22050/1", "135eb75bc9adeb23");
        EXPECTED.put("22050/2", "f9bd6fadd35d7d56");
        EXPECTED.put("176400/1", "a6045ae6c6969cf2");
        EXPECTED.put("176400/2", "51189f0435eb6719");
    }
}
