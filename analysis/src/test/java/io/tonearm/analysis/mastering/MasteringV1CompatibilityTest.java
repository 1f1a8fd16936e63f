package io.tonearm.analysis.mastering;

import io.tonearm.analysis.Json;
import io.tonearm.analysis.Params;
import io.tonearm.analysis.output.DirectoryOutputStore;
import io.tonearm.analysis.testing.Analyze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a reference, mastering is version 1 exactly: the same result identity and the same output bytes as
 * before tonal balance existed (the digests below were measured on the version-1 code).
 */
class MasteringV1CompatibilityTest {

    @TempDir
    Path dir;

    @Test
    void defaultsKeepTheVersionOneIdentity() {
        MasteringAnalyzer analyzer = new MasteringAnalyzer();
        assertThat(analyzer.spec().version()).isEqualTo(1);
        assertThat(Params.defaults(analyzer.spec()).canonical()).isEqualTo("{ceiling_dbtp=-1.0,target_lufs=-14.0}");
        assertThat(Params.defaults(analyzer.spec()).hash()).isEqualTo(V1_PARAMS_HASH);
    }

    @Test
    void withoutAReferenceTheOutputIsBitIdenticalToVersionOne() throws Exception {
        float[] input = MasteringAnalyzerTest.music(44_100, 2, 6, 0.03);
        MasteringResult r = Analyze.runWithOutputs(new MasteringAnalyzer(), Map.of(), input, 44_100, 2, new DirectoryOutputStore(dir));
        assertThat(r.output().sha256()).isEqualTo(V1_OUTPUT_SHA256);
        assertThat(Json.mapper().valueToTree(r).has("tonal_balance")).isFalse();
    }

    private static final String V1_PARAMS_HASH = "ec4030021719d09a";
    private static final String V1_OUTPUT_SHA256 = "a9284e0e8026a321f9dd3adccd69e5ea8916dd908e59ce56185840a3946354a1";
}
