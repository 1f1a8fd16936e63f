package io.tonearm.k8s;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The facts the rules compare against are really read from the code (a broken reader would pass everything). */
class AppFactsTest {

    private final AppFacts facts = AppFacts.fromProject(Manifests.projectDir());

    @Test
    void readsWhatTheApiReads() {
        assertThat(facts.envRead()).contains("TONEARM_JDBC_URL", "TONEARM_DB_PASSWORD", "TONEARM_KAFKA_BOOTSTRAP",
                "TONEARM_PORT", "TONEARM_SIGNING_KEYS", "TONEARM_ELASTICSEARCH", "TONEARM_PROCESSING_WAIT_SECONDS");
        assertThat(facts.envRead()).as("the blob store's settings, read in sinks")
                .contains("TONEARM_BLOB_STORE", "TONEARM_S3_ENDPOINT", "TONEARM_S3_PATH_STYLE", "TONEARM_BLOB_CACHE_BYTES");
        assertThat(facts.envRead()).doesNotContain("TONEARM_S3_BUCKET");
        assertThat(facts.apiDefaultPort()).isEqualTo(8080);
    }

    @Test
    void readsTopicsImagesVersionsAndTheJobsArguments() {
        assertThat(facts.topics()).contains("tonearm.assets.v1", "tonearm.requests.v1", "tonearm.results.v1");
        assertThat(facts.apiImage()).isEqualTo("tonearm/tonearm-api");
        assertThat(facts.pipelineImage()).isEqualTo("tonearm/tonearm-pipeline");
        assertThat(facts.elasticsearchVersion()).matches("8\\.\\d+\\.\\d+");
        assertThat(facts.flinkVersion()).matches("2\\.\\d+\\.\\d+");
        assertThat(facts.analysisArgsRequired()).isEqualTo(2);
        assertThat(facts.analysisArgsMax()).isEqualTo(6);
        assertThat(facts.catalogArgsRequired()).isEqualTo(4);
        assertThat(facts.catalogArgsMax()).isEqualTo(6);
        assertThat(facts.ingestArgsRequired()).isEqualTo(3);
        assertThat(facts.ingestArgsMax()).isEqualTo(5);
    }

    @Test
    void readsThePlansCreditVariablesTheirDefaultsAndWhoReadsThem() {
        assertThat(facts.creditAllowances()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("TONEARM_CREDITS_BASIC", 1000L, "TONEARM_CREDITS_PRO", 20000L));
        assertThat(facts.envRead()).contains("TONEARM_CREDITS_BASIC", "TONEARM_CREDITS_PRO");
        assertThat(facts.creditReaders()).as("the analysis job charges nothing")
                .containsExactlyInAnyOrder(AppFacts.API_MAIN, AppFacts.CATALOG_SCAN_JOB, AppFacts.INGEST_JOB);
    }
}
