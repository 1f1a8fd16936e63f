package io.tonearm.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules on the base as written (no kustomize needed), then with one object broken at a time: each break must
 * be reported, so a rule that silently passes everything fails here.
 */
class ManifestRulesTest {

    private static final AppFacts FACTS = AppFacts.fromProject(Manifests.projectDir());
    private List<Resource> base;

    @BeforeEach
    void load() throws Exception {
        base = BaseFiles.load();
    }

    private ObjectNode object(String kind, String name) {
        return (ObjectNode) Manifests.find(base, kind, name).orElseThrow().body();
    }

    private List<String> problems() {
        return ManifestRules.check(base, FACTS);
    }

    @Test
    void theBasePassesEveryRule() {
        assertThat(problems()).isEmpty();
    }

    @Test
    void aServiceWhoseSelectorMatchesNoPodsIsReported() {
        object("Service", "tonearm-api").with("spec").with("selector").put("app.kubernetes.io/name", "tonearm-apj");
        assertThat(problems()).anyMatch(p -> p.startsWith("Service/tonearm-api: selector") && p.contains("matches no Deployment"));
    }

    @Test
    void aProbeOnAnUndeclaredPortIsReported() {
        ObjectNode c = (ObjectNode) object("Deployment", "tonearm-api").at("/spec/template/spec/containers/0");
        ((ObjectNode) c.at("/readinessProbe/httpGet")).put("port", "admin");
        assertThat(problems()).contains("Deployment/tonearm-api: readinessProbe of container api uses port admin, "
                + "which the container does not declare");
    }

    @Test
    void aContainerWithoutResourcesOrAProjectImageIsReported() {
        ObjectNode c = (ObjectNode) object("Deployment", "tonearm-api").at("/spec/template/spec/containers/0");
        c.remove("resources");
        c.put("image", "nginx:latest");
        assertThat(problems()).contains(
                "Deployment/tonearm-api: container api has no cpu and memory requests",
                "Deployment/tonearm-api: image nginx:latest is not tonearm/tonearm-api, the image the project builds",
                "Deployment/tonearm-api: image nginx:latest has no fixed tag");
    }

    @Test
    void aConfigMapVariableTheApplicationDoesNotReadIsReported() {
        object("ConfigMap", "tonearm-api-config").with("data").put("TONEARM_S3_BUCKET", "blobs");
        assertThat(problems()).anyMatch(p -> p.contains("TONEARM_S3_BUCKET (ConfigMap tonearm-api-config)")
                && p.contains("no Tonearm source reads"));
    }

    @Test
    void anotherApiPortIsReported() {
        object("ConfigMap", "tonearm-api-config").with("data").put("TONEARM_PORT", "9090");
        assertThat(problems()).contains("Deployment/tonearm-api: TONEARM_PORT 9090 differs from the application's default 8080",
                "Deployment/tonearm-api: container api does not declare port 9090");
    }

    @Test
    void aFlinkJobWithoutDurableStateOrSavepointUpgradesIsReported() {
        ObjectNode f = object("FlinkDeployment", "tonearm-analysis");
        f.with("spec").with("flinkConfiguration").put("execution.checkpointing.dir", "file:///tmp/checkpoints");
        f.with("spec").with("flinkConfiguration").remove("execution.checkpointing.savepoint-dir");
        f.with("spec").with("flinkConfiguration").put("high-availability.type", "NONE");
        f.with("spec").with("job").put("upgradeMode", "last-state");
        f.with("spec").with("flinkConfiguration").remove("pipeline.max-parallelism");
        assertThat(problems()).contains(
                "FlinkDeployment/tonearm-analysis: pipeline.max-parallelism must be set (and at least job.parallelism): savepoints keep it",
                "FlinkDeployment/tonearm-analysis: execution.checkpointing.dir is not on the object store (s3://...): 'file:///tmp/checkpoints'",
                "FlinkDeployment/tonearm-analysis: execution.checkpointing.savepoint-dir is not on the object store (s3://...): ''",
                "FlinkDeployment/tonearm-analysis: high-availability.type is not kubernetes",
                "FlinkDeployment/tonearm-analysis: job.upgradeMode is not savepoint");
    }

    @Test
    void analysisJobArgumentsThatDoNotFitMainAreReported() {
        ArrayNode args = object("FlinkDeployment", "tonearm-analysis").with("spec").with("job").withArray("args");
        args.set(0, "kafka:9092");
        args.set(3, "secret");
        assertThat(problems()).contains(
                "FlinkDeployment/tonearm-analysis: argument 1 (Kafka) kafka:9092 is not the bootstrap service of Kafka/tonearm-kafka",
                "FlinkDeployment/tonearm-analysis: argument 4 (password) must stay empty: the password comes from PGPASSFILE, not the resource");
        args.set(5, "/var/lib/tonearm/blobs");
        assertThat(problems()).contains("FlinkDeployment/tonearm-analysis: blob store /var/lib/tonearm/blobs (argument 6)"
                + " is not the API's, s3://tonearm-blobs/blobs");
        args.add("extra");
        assertThat(problems()).contains("FlinkDeployment/tonearm-analysis: AnalysisJob takes 2 to 6 arguments, not 7");
    }

    @Test
    void ingestJobArgumentsThatDoNotFitMainAreReported() {
        ArrayNode args = object("FlinkDeployment", "tonearm-ingest").with("spec").with("job").withArray("args");
        args.set(2, "s3://other-bucket/blobs");
        args.set(4, "secret");
        assertThat(problems()).contains(
                "FlinkDeployment/tonearm-ingest: blob store s3://other-bucket/blobs (argument 3) is not the API's, s3://tonearm-blobs/blobs",
                "FlinkDeployment/tonearm-ingest: argument 5 (password) must stay empty: the password comes from PGPASSFILE, not the resource");
    }

    @Test
    void catalogScanArgumentsThatDoNotFitMainAreReported() {
        ArrayNode args = object("FlinkDeployment", "tonearm-catalog-scan").with("spec").with("job").withArray("args");
        args.set(3, "catalog");
        assertThat(problems()).contains("FlinkDeployment/tonearm-catalog-scan: argument 4 (account id) catalog is not a UUID");
        while (args.size() > 3) args.remove(args.size() - 1);
        assertThat(problems()).contains("FlinkDeployment/tonearm-catalog-scan: CatalogScanJob takes 4 to 6 arguments, not 3");
    }

    @Test
    void aJobWithoutTheApisBlobStoreOrItsS3SettingsIsReported() {
        ObjectNode pod = (ObjectNode) object("FlinkDeployment", "tonearm-catalog-scan").at("/spec/podTemplate/spec/containers/0");
        pod.remove("envFrom");
        assertThat(problems()).contains(
                "FlinkDeployment/tonearm-catalog-scan: no blob store: argument 3 is empty and the pods get no TONEARM_BLOB_STORE")
                .anyMatch(p -> p.startsWith("FlinkDeployment/tonearm-catalog-scan: container flink-main-container gets other"
                        + " S3 settings for the blob store than the API"));
    }

    @Test
    void aFlinkEndpointOtherThanTheBlobStoresIsReported() {
        object("FlinkDeployment", "tonearm-ingest").with("spec").with("flinkConfiguration").put("s3.endpoint", "http://minio:9000");
        assertThat(problems()).contains("FlinkDeployment/tonearm-ingest: s3.endpoint http://minio:9000 (Flink's state) is not"
                + " the blob store's endpoint https://s3.example.internal: one object store, set in both places per overlay");
    }

    @Test
    void aBlobStoreOnAVolumeIsReportedBecauseThePodsShareNone() {
        object("ConfigMap", "tonearm-object-store").with("data").put("TONEARM_BLOB_STORE", "/var/lib/tonearm/blobs");
        assertThat(problems()).contains("Deployment/tonearm-api: blob store /var/lib/tonearm/blobs is not an object store"
                + " (s3://...): the API replicas and the Flink pods share no volume");
    }

    @Test
    void anEnvironmentReferenceToAMissingConfigMapKeyIsReported() {
        ArrayNode env = (ArrayNode) object("Deployment", "tonearm-api").at("/spec/template/spec/containers/0/env");
        env.addObject().put("name", "TONEARM_S3_REGION").with("valueFrom").with("configMapKeyRef")
                .put("name", "tonearm-object-store").put("key", "region");
        assertThat(problems()).contains("Deployment/tonearm-api: env TONEARM_S3_REGION refers to key region of ConfigMap"
                + " tonearm-object-store, which does not exist");
    }

    @Test
    void theBaseGivesEveryPlanTheCodesDefaultAllowanceInTheCreditsConfigMap() {
        Resource credits = Manifests.find(base, "ConfigMap", ManifestRules.CREDITS_CONFIG_MAP).orElseThrow();
        assertThat(FACTS.creditAllowances()).isNotEmpty();
        FACTS.creditAllowances().forEach((variable, allowance) ->
                assertThat(credits.at("data/" + variable).asText()).as(variable).isEqualTo(Long.toString(allowance)));
    }

    @Test
    void aCreditReaderThatDoesNotLoadTheCreditsIsReported() {
        withoutCredits((ObjectNode) object("FlinkDeployment", "tonearm-ingest").at("/spec/podTemplate/spec/containers/0"));
        withoutCredits((ObjectNode) object("Deployment", "tonearm-api").at("/spec/template/spec/containers/0"));
        List<String> problems = problems();
        for (String variable : FACTS.creditAllowances().keySet()) {
            assertThat(problems).contains(
                    "FlinkDeployment/tonearm-ingest: container flink-main-container gets no " + variable + " (load ConfigMap "
                            + "tonearm-credits): it would grant the default while the others grant what the ConfigMap says",
                    "Deployment/tonearm-api: container api gets no " + variable + " (load ConfigMap tonearm-credits): it "
                            + "would grant the default while the others grant what the ConfigMap says");
        }
        assertThat(problems).noneMatch(p -> p.startsWith("FlinkDeployment/tonearm-catalog-scan"))
                .as("the analysis job charges nothing").noneMatch(p -> p.startsWith("FlinkDeployment/tonearm-analysis"));
    }

    @Test
    void creditsSetInASecondPlaceAreReportedEvenWhenShadowed() {
        ArrayNode env = (ArrayNode) object("FlinkDeployment", "tonearm-catalog-scan").at("/spec/podTemplate/spec/containers/0/env");
        env.addObject().put("name", "TONEARM_CREDITS_PRO").put("value", "2000000");
        // tonearm-api-config comes before tonearm-credits in the API's envFrom: the later one wins, but it is a second place
        object("ConfigMap", "tonearm-api-config").with("data").put("TONEARM_CREDITS_BASIC", "5");
        assertThat(problems()).contains(
                "FlinkDeployment/tonearm-catalog-scan: container flink-main-container sets TONEARM_CREDITS_PRO in its env, not "
                        + "from ConfigMap tonearm-credits: the API and the jobs would disagree on the monthly allowance",
                "FlinkDeployment/tonearm-catalog-scan: container flink-main-container gets TONEARM_CREDITS_PRO from a literal "
                        + "value, not from ConfigMap tonearm-credits",
                "ConfigMap/tonearm-api-config: sets TONEARM_CREDITS_BASIC: the plans' credits belong in ConfigMap "
                        + "tonearm-credits alone, which the API and the jobs all load");
    }

    @Test
    void anAllowanceCreditPolicyRefusesIsReportedForEveryReader() {
        object("ConfigMap", "tonearm-credits").with("data").put("TONEARM_CREDITS_PRO", "-1");
        assertThat(problems()).filteredOn(p -> p.contains("TONEARM_CREDITS_PRO=-1, not a whole number"))
                .extracting(p -> p.substring(0, p.indexOf(':'))).containsExactlyInAnyOrder(
                        "Deployment/tonearm-api", "FlinkDeployment/tonearm-catalog-scan", "FlinkDeployment/tonearm-ingest");
    }

    private static void withoutCredits(ObjectNode container) {
        ArrayNode from = (ArrayNode) container.get("envFrom");
        for (int i = from.size() - 1; i >= 0; i--) {
            if (from.get(i).at("/configMapRef/name").asText().equals(ManifestRules.CREDITS_CONFIG_MAP)) from.remove(i);
        }
    }

    @Test
    void aMissingOrUnknownTopicIsReported() {
        Resource results = Manifests.find(base, "KafkaTopic", "tonearm-results-v1").orElseThrow();
        ((ObjectNode) results.body().get("spec")).put("topicName", "tonearm.result.v1");
        assertThat(problems()).anyMatch(p -> p.startsWith("KafkaTopics [") && p.contains("tonearm.result.v1")
                && p.contains("differ from the constants of events Topics"));
    }

    @Test
    void aSecretNobodyCreatesIsReported() {
        ObjectNode c = (ObjectNode) object("Deployment", "tonearm-api").at("/spec/template/spec/containers/0");
        ((ObjectNode) c.at("/env/0/valueFrom/secretKeyRef")).put("name", "tonearm-db-superuser");
        assertThat(problems()).contains("Deployment/tonearm-api: Secret tonearm-db-superuser is neither defined, "
                + "made by an operator, nor documented");
    }

    @Test
    void anElasticsearchVersionOtherThanTheTestedOneIsReported() {
        object("Elasticsearch", "tonearm-es").with("spec").put("version", "9.1.0");
        assertThat(problems()).anyMatch(p -> p.startsWith("Elasticsearch/tonearm-es: version 9.1.0 differs"));
    }
}
