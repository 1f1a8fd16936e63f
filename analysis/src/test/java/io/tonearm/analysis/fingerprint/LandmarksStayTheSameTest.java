package io.tonearm.analysis.fingerprint;

import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every landmark format is an index format: recordings indexed once are never fingerprinted again (their audio may be
 * gone), and queries must hash exactly as they were indexed. So a change that alters a single landmark needs a new
 * analyzer version ({@link LandmarkFormat}); speed work must keep them bit for bit. Version 1's digests were taken
 * before its peak picking was optimised, version 2's when it was introduced.
 */
class LandmarksStayTheSameTest {

    private static final FingerprintAnalyzer V1 = new FingerprintAnalyzer(LandmarkFormat.V1);
    private static final FingerprintAnalyzer V2 = new FingerprintAnalyzer(LandmarkFormat.V2);

    @Test
    void indexedLandmarksAreBitForBitThoseOfVersionOne() throws Exception {
        assertThat(digest(V1, Map.of(), CatalogSynth.track(11, 30))).isEqualTo(
                "98fcb39f68abd04ecfdbe56447ed11a694055fa3aca0e8cdea45a516354633d6");
    }

    @Test
    void queryLandmarksOfANoisyExcerptAreBitForBitThoseOfVersionOne() throws Exception {
        float[] noisy = noisyExcerpt();
        assertThat(digest(V1, Degradations.QUERY, noisy)).isEqualTo("6281db2ad5a5efd59baf0d8ad42002ea686a4ea30c40e9c1de6851ddbe771f59");
        assertThat(digest(V1, Map.of("shifts", "2", "density", "35", "fanout", "5"), noisy)).isEqualTo("f5d866b0250a57a9c522018114d6d5ae53a0945e7a3ebd65c7a114287046f2db");
    }

    @Test
    void indexedLandmarksAreBitForBitThoseOfVersionTwo() throws Exception {
        assertThat(digest(V2, Map.of(), CatalogSynth.track(11, 30))).isEqualTo("016e0eb7a8a133422d2c417d71c88dbe9422dbbf95dbe88aa60e736ff2dd4fb3");
    }

    @Test
    void queryLandmarksOfANoisyExcerptAreBitForBitThoseOfVersionTwo() throws Exception {
        float[] noisy = noisyExcerpt();
        assertThat(digest(V2, Degradations.QUERY, noisy)).isEqualTo("4cbc8e195eb681995e517fe08af65a595e8864c34a1512350b005949b5b5f69b");
        assertThat(digest(V2, Map.of("shifts", "2", "density", "35", "fanout", "5"), noisy)).isEqualTo("8bee7729ff4cfa0469c938570045db9aa12ccb47cb7de95f9fc5a323e2fb8121");
    }

    /** 10 s starting off the frame grid, +4 dB and white noise at 10 dB SNR: a query as identify meets one. */
    private static float[] noisyExcerpt() {
        float[] excerpt = java.util.Arrays.copyOfRange(CatalogSynth.track(12, 20), 3 * CatalogSynth.RATE + 517, 13 * CatalogSynth.RATE);
        return Degradations.noisy(Degradations.gain(excerpt, 4), 10, new Random(3));
    }

    private static String digest(FingerprintAnalyzer analyzer, Map<String, String> params, float[] mono) throws Exception {
        Landmarks.Packed p = Analyze.run(analyzer, params, mono, CatalogSynth.RATE, 1).landmarks();
        assertThat(p.count()).isGreaterThan(100);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update((p.format() + "|" + p.count() + "|" + p.frames() + "|" + p.hashes() + "|" + p.times()).getBytes(StandardCharsets.US_ASCII));
        String hex = HexFormat.of().formatHex(md.digest());
        System.out.println(params + " " + p.count() + " landmarks: " + hex);
        return hex;
    }
}
