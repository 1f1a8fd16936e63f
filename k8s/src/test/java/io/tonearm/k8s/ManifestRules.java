package io.tonearm.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a rendered overlay (what {@code kubectl apply -k} would send) against itself and against the code it
 * deploys. Returns every problem found, each naming the object; an empty list means the overlay passes.
 */
final class ManifestRules {

    private final List<Resource> all;
    private final AppFacts facts;
    private final List<String> problems = new ArrayList<>();

    private ManifestRules(List<Resource> all, AppFacts facts) {
        this.all = all;
        this.facts = facts;
    }

    static List<String> check(List<Resource> rendered, AppFacts facts) {
        ManifestRules r = new ManifestRules(rendered, facts);
        r.everyObjectNamed();
        r.deployments();
        r.services();
        r.autoscalersAndBudgets();
        r.flinkDeployments();
        r.environment();
        r.blobStore();
        r.credits();
        r.secretsAndClaims();
        r.kafka();
        r.postgresAndElasticsearch();
        return List.copyOf(r.problems);
    }

    private void problem(Resource r, String message) {
        problems.add(r.id() + ": " + message);
    }

    private void everyObjectNamed() {
        for (Resource r : all) {
            if (r.kind().isEmpty() || r.name().isEmpty() || r.text("apiVersion") == null) {
                problems.add("an object without apiVersion, kind or name: " + r.body());
            }
        }
    }

    private void deployments() {
        for (Resource d : Manifests.ofKind(all, "Deployment")) {
            JsonNode selector = d.at("spec/selector/matchLabels");
            JsonNode podLabels = d.at("spec/template/metadata/labels");
            if (selector.isEmpty() || !contains(podLabels, selector)) {
                problem(d, "spec.selector.matchLabels do not match the pod template's labels");
            }
            for (JsonNode c : d.containers()) {
                String name = c.path("name").asText();
                container(d, c);
                projectImage(d, c.path("image").asText(""), facts.apiImage());
                for (String probe : new String[]{"readinessProbe", "livenessProbe"}) {
                    JsonNode p = c.path(probe);
                    if (p.isMissingNode()) {
                        problem(d, "container " + name + " has no " + probe);
                    } else {
                        probePort(d, c, probe, p);
                    }
                }
            }
        }
    }

    private void container(Resource owner, JsonNode c) {
        String name = c.path("name").asText();
        if (c.path("image").asText("").isBlank()) problem(owner, "container " + name + " has no image");
        JsonNode res = c.path("resources");
        if (res.at("/requests/cpu").isMissingNode() || res.at("/requests/memory").isMissingNode()) {
            problem(owner, "container " + name + " has no cpu and memory requests");
        }
        if (res.at("/limits/memory").isMissingNode()) problem(owner, "container " + name + " has no memory limit");
    }

    /** The image the module's Jib profile builds, maybe under a registry prefix, with an explicit tag. */
    private void projectImage(Resource owner, String image, String built) {
        int colon = image.lastIndexOf(':');
        String repo = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
        String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
        if (!repo.equals(built) && !repo.endsWith("/" + built)) {
            problem(owner, "image " + image + " is not " + built + ", the image the project builds");
        }
        if (tag.isEmpty() || tag.equals("latest")) problem(owner, "image " + image + " has no fixed tag");
    }

    private void probePort(Resource d, JsonNode c, String probe, JsonNode p) {
        JsonNode port = p.at("/httpGet/port");
        if (port.isMissingNode()) port = p.at("/tcpSocket/port");
        if (port.isMissingNode()) return;
        if (!hasPort(c, port)) {
            problem(d, probe + " of container " + c.path("name").asText() + " uses port " + port.asText()
                    + ", which the container does not declare");
        }
    }

    private void services() {
        for (Resource s : Manifests.ofKind(all, "Service")) {
            JsonNode selector = s.at("spec/selector");
            List<Resource> backends = Manifests.ofKind(all, "Deployment").stream()
                    .filter(d -> sameNamespace(d, s) && !selector.isEmpty()
                            && contains(d.at("spec/template/metadata/labels"), selector)).toList();
            if (backends.isEmpty()) {
                problem(s, "selector " + selector + " matches no Deployment's pods");
                continue;
            }
            for (JsonNode port : s.at("spec/ports")) {
                JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                for (Resource d : backends) {
                    boolean found = d.containers().stream().anyMatch(c -> hasPort(c, target));
                    if (!found) problem(s, "targetPort " + target.asText() + " is not a container port of " + d.id());
                }
            }
        }
    }

    private void autoscalersAndBudgets() {
        for (Resource h : Manifests.ofKind(all, "HorizontalPodAutoscaler")) {
            String kind = h.text("spec/scaleTargetRef/kind");
            String name = h.text("spec/scaleTargetRef/name");
            if (kind == null || name == null || Manifests.find(all, kind, name).isEmpty()) {
                problem(h, "scaleTargetRef " + kind + "/" + name + " does not exist");
            }
            if (h.at("spec/minReplicas").asInt(1) > h.at("spec/maxReplicas").asInt(0)) {
                problem(h, "minReplicas is above maxReplicas");
            }
        }
        for (Resource p : Manifests.ofKind(all, "PodDisruptionBudget")) {
            JsonNode selector = p.at("spec/selector/matchLabels");
            boolean matches = Manifests.ofKind(all, "Deployment").stream()
                    .anyMatch(d -> !selector.isEmpty() && contains(d.at("spec/template/metadata/labels"), selector));
            if (!matches) problem(p, "selector " + selector + " matches no Deployment's pods");
        }
    }

    private void flinkDeployments() {
        for (Resource f : Manifests.ofKind(all, "FlinkDeployment")) {
            JsonNode conf = f.at("spec/flinkConfiguration");
            durablePath(f, conf, "execution.checkpointing.dir");
            durablePath(f, conf, "execution.checkpointing.savepoint-dir");
            durablePath(f, conf, "high-availability.storageDir");
            if (!"kubernetes".equals(conf.path("high-availability.type").asText())) {
                problem(f, "high-availability.type is not kubernetes");
            }
            if (!"savepoint".equals(f.text("spec/job/upgradeMode"))) problem(f, "job.upgradeMode is not savepoint");
            int parallelism = f.at("spec/job/parallelism").asInt(0);
            if (parallelism < 1) problem(f, "job.parallelism is missing");
            if (conf.path("pipeline.max-parallelism").asInt(0) < parallelism) {
                problem(f, "pipeline.max-parallelism must be set (and at least job.parallelism): savepoints keep it");
            }
            if (!f.at("spec/job/jarURI").asText("").startsWith("local:///")) {
                problem(f, "job.jarURI is not a jar inside the image (local:///...)");
            }
            String entry = f.text("spec/job/entryClass");
            if (!AppFacts.ANALYSIS_JOB.equals(entry) && !AppFacts.CATALOG_SCAN_JOB.equals(entry)
                    && !AppFacts.INGEST_JOB.equals(entry)) {
                problem(f, "job.entryClass " + entry + " is not one of the pipeline's jobs");
            }
            projectImage(f, f.at("spec/image").asText(""), facts.pipelineImage());
            for (String part : new String[]{"jobManager", "taskManager"}) {
                JsonNode res = f.at("spec/" + part + "/resource");
                if (res.path("cpu").isMissingNode() || res.path("memory").isMissingNode()) {
                    problem(f, part + ".resource needs cpu and memory");
                }
            }
            String sa = f.text("spec/serviceAccount");
            if (sa == null || Manifests.find(all, "ServiceAccount", sa).isEmpty()) {
                problem(f, "serviceAccount " + sa + " is not defined");
            }
            if (AppFacts.ANALYSIS_JOB.equals(entry)) analysisArguments(f);
            if (AppFacts.CATALOG_SCAN_JOB.equals(entry)) catalogArguments(f);
            if (AppFacts.INGEST_JOB.equals(entry)) ingestArguments(f);
        }
    }

    private void durablePath(Resource f, JsonNode conf, String key) {
        String v = conf.path(key).asText("");
        if (!v.startsWith("s3://")) problem(f, key + " is not on the object store (s3://...): '" + v + "'");
    }

    /** CatalogScanJob.main: directory-uri jdbc-url blob-store account-id [user] [password]. */
    private void catalogArguments(Resource f) {
        List<String> args = jobArguments(f, "CatalogScanJob", facts.catalogArgsRequired(), facts.catalogArgsMax());
        if (args == null) return;
        jdbcArgument(f, args, 1);
        blobStoreArgument(f, args, 2);
        if (!args.get(3).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            problem(f, "argument 4 (account id) " + args.get(3) + " is not a UUID");
        }
        emptyPassword(f, args, 5);
    }

    /** IngestCommandJob.main: bootstrap-servers jdbc-url blob-store [user] [password]. */
    private void ingestArguments(Resource f) {
        List<String> args = jobArguments(f, "IngestCommandJob", facts.ingestArgsRequired(), facts.ingestArgsMax());
        if (args == null) return;
        kafkaArgument(f, args, 0);
        jdbcArgument(f, args, 1);
        blobStoreArgument(f, args, 2);
        emptyPassword(f, args, 4);
    }

    /** AnalysisJob.main: kafka-bootstrap-servers jdbc-url [user] [password] [elasticsearch-url] [blob-store]. */
    private void analysisArguments(Resource f) {
        List<String> args = jobArguments(f, "AnalysisJob", facts.analysisArgsRequired(), facts.analysisArgsMax());
        if (args == null) return;
        kafkaArgument(f, args, 0);
        jdbcArgument(f, args, 1);
        emptyPassword(f, args, 3);
        if (args.size() > 4) {
            String es = Manifests.ofKind(all, "Elasticsearch").stream().findFirst().map(Resource::name).orElse("?");
            String host = URI.create(args.get(4)).getHost();
            if (!(es + "-es-http").equals(host)) {
                problem(f, "argument 5 (Elasticsearch) " + args.get(4) + " is not the HTTP service of Elasticsearch/" + es);
            }
        }
        blobStoreArgument(f, args, 5);
    }

    /** The job's arguments, or null (reported) when their count does not fit its main's usage line. */
    private List<String> jobArguments(Resource f, String job, int min, int max) {
        List<String> args = new ArrayList<>();
        f.at("spec/job/args").forEach(a -> args.add(a.asText()));
        if (args.size() < min || args.size() > max) {
            problem(f, job + " takes " + min + " to " + max + " arguments, not " + args.size());
            return null;
        }
        return args;
    }

    private void kafkaArgument(Resource f, List<String> args, int i) {
        String kafka = Manifests.ofKind(all, "Kafka").stream().findFirst().map(Resource::name).orElse("?");
        if (!args.get(i).equals(kafka + "-kafka-bootstrap:9092")) {
            problem(f, "argument " + (i + 1) + " (Kafka) " + args.get(i) + " is not the bootstrap service of Kafka/" + kafka);
        }
    }

    private void jdbcArgument(Resource f, List<String> args, int i) {
        String db = Manifests.ofKind(all, "Cluster").stream().findFirst().map(Resource::name).orElse("?");
        if (!args.get(i).startsWith("jdbc:postgresql://" + db + "-rw:5432/")) {
            problem(f, "argument " + (i + 1) + " (JDBC URL) " + args.get(i) + " is not the primary service of Cluster/" + db);
        }
    }

    private void emptyPassword(Resource f, List<String> args, int i) {
        if (args.size() > i && !args.get(i).isEmpty()) {
            problem(f, "argument " + (i + 1) + " (password) must stay empty: the password comes from PGPASSFILE, not the resource");
        }
    }

    /**
     * A job's blob store is its argument {@code i}, or, when that is empty or absent, TONEARM_BLOB_STORE of its pods
     * (JobArguments.blobStore): it must be the API's, since a job reads what the API stored and writes what the API
     * serves.
     */
    private void blobStoreArgument(Resource f, List<String> args, int i) {
        String given = args.size() > i ? args.get(i) : "";
        String store = !given.isEmpty() ? given : f.containers().stream()
                .map(c -> envOf(f, c).get(BLOB_STORE)).filter(v -> v != null).findFirst().orElse(null);
        if (store == null) {
            problem(f, "no blob store: argument " + (i + 1) + " is empty and the pods get no " + BLOB_STORE);
            return;
        }
        String api = apiBlobStore();
        if (api != null && !api.equals(store)) {
            problem(f, "blob store " + store + (given.isEmpty() ? " (" + BLOB_STORE + ")" : " (argument " + (i + 1) + ")")
                    + " is not the API's, " + api);
        }
    }

    private static final String BLOB_STORE = "TONEARM_BLOB_STORE";
    /** What opens the S3 blob store besides its location: endpoint, region, addressing, credentials. */
    private static final List<String> S3_SETTINGS = List.of("TONEARM_S3_ENDPOINT", "TONEARM_S3_REGION",
            "TONEARM_S3_PATH_STYLE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION");

    /** The API's blob store as its container resolves it (ApiMain: TONEARM_BLOB_STORE, TONEARM_BLOB_DIR, data dir). */
    private String apiBlobStore() {
        for (Resource d : Manifests.ofKind(all, "Deployment")) {
            for (JsonNode c : d.containers()) {
                Map<String, String> env = envOf(d, c);
                if (env.containsKey(BLOB_STORE)) return env.get(BLOB_STORE);
                if (env.containsKey("TONEARM_BLOB_DIR")) return env.get("TONEARM_BLOB_DIR");
                if (env.containsKey("TONEARM_DATA_DIR")) return env.get("TONEARM_DATA_DIR") + "/blobs";
            }
        }
        return null;
    }

    /**
     * The API replicas and the Flink pods share no volume: the blob store must be an object store, and every pod that
     * opens it must get the same S3 settings as the API.
     */
    private void blobStore() {
        String api = apiBlobStore();
        if (api == null) return;
        Resource apiDeployment = Manifests.ofKind(all, "Deployment").get(0);
        if (!api.startsWith("s3://")) {
            problem(apiDeployment, "blob store " + api + " is not an object store (s3://...): the API replicas and the Flink"
                    + " pods share no volume");
        }
        Map<String, String> apiS3 = s3Settings(apiDeployment, apiDeployment.containers().get(0));
        for (Resource f : Manifests.ofKind(all, "FlinkDeployment")) {
            String flinkEndpoint = f.text("spec/flinkConfiguration/s3.endpoint");
            if (flinkEndpoint != null && apiS3.containsKey("TONEARM_S3_ENDPOINT") && !flinkEndpoint.equals(apiS3.get("TONEARM_S3_ENDPOINT"))) {
                problem(f, "s3.endpoint " + flinkEndpoint + " (Flink's state) is not the blob store's endpoint "
                        + apiS3.get("TONEARM_S3_ENDPOINT") + ": one object store, set in both places per overlay");
            }
            for (JsonNode c : f.containers()) {
                Map<String, String> s3 = s3Settings(f, c);
                if (!s3.equals(apiS3)) {
                    problem(f, "container " + c.path("name").asText() + " gets other S3 settings for the blob store than"
                            + " the API: " + s3 + " vs " + apiS3);
                }
            }
        }
    }

    private Map<String, String> s3Settings(Resource owner, JsonNode container) {
        Map<String, String> env = envOf(owner, container);
        Map<String, String> out = new java.util.TreeMap<>();
        for (String name : S3_SETTINGS) {
            if (env.containsKey(name)) out.put(name, env.get(name));
        }
        return out;
    }

    /** One variable of a container's environment: its value, and the ConfigMap it came from (null: not from one). */
    private record EnvValue(String value, String configMap, String origin) {
    }

    /** A container's environment as Kubernetes builds it ({@link #envValues}), values only. */
    private Map<String, String> envOf(Resource owner, JsonNode c) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        envValues(c).forEach((name, v) -> env.put(name, v.value()));
        return env;
    }

    /**
     * A container's environment as Kubernetes builds it: envFrom ConfigMaps in order (a later one wins), then env
     * entries, which win over them (a ConfigMap key resolves to its value, a Secret key to {@code secret:NAME/KEY}; a
     * missing ConfigMap or key is left out, and {@link #environment()} reports it).
     */
    private Map<String, EnvValue> envValues(JsonNode c) {
        Map<String, EnvValue> env = new java.util.LinkedHashMap<>();
        for (JsonNode from : c.path("envFrom")) {
            String cm = from.at("/configMapRef/name").asText(null);
            if (cm == null) continue;
            Manifests.find(all, "ConfigMap", cm).ifPresent(map -> map.at("data").fields().forEachRemaining(e ->
                    env.put(e.getKey(), new EnvValue(e.getValue().asText(), cm, "ConfigMap " + cm + " (envFrom)"))));
        }
        for (JsonNode e : c.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, new EnvValue(e.path("value").asText(), null, "a literal value"));
            } else if (e.at("/valueFrom/configMapKeyRef").isObject()) {
                String cm = e.at("/valueFrom/configMapKeyRef/name").asText();
                String key = e.at("/valueFrom/configMapKeyRef/key").asText();
                configMapValue(cm, key).ifPresent(v -> env.put(name, new EnvValue(v, cm, "ConfigMap " + cm + " key " + key)));
            } else if (e.at("/valueFrom/secretKeyRef").isObject()) {
                String secret = e.at("/valueFrom/secretKeyRef/name").asText();
                env.put(name, new EnvValue("secret:" + secret + "/" + e.at("/valueFrom/secretKeyRef/key").asText(), null,
                        "Secret " + secret));
            }
        }
        return env;
    }

    /** The ConfigMap that holds the plans' monthly credits (kustomize adds a hash suffix to the generated name). */
    static final String CREDITS_CONFIG_MAP = "tonearm-credits";

    private static boolean isCreditsMap(String name) {
        return name.equals(CREDITS_CONFIG_MAP) || name.matches(java.util.regex.Pattern.quote(CREDITS_CONFIG_MAP) + "-[a-z0-9]{10}");
    }

    /**
     * Whoever charges an account first in a month (the API, the catalog-scan job, the ingest job) grants its plan's
     * allowance, each from its own environment: every program that reads the credit policy ({@link AppFacts#creditReaders})
     * must get every plan's variable, and only from the one ConfigMap {@value #CREDITS_CONFIG_MAP}, so that they cannot
     * disagree. Set anywhere else (a literal, a Secret, another ConfigMap, even one shadowed by the right one) is a
     * second place, reported; so is a value CreditPolicy would refuse at start.
     */
    private void credits() {
        Set<String> variables = facts.creditAllowances().keySet();
        for (Resource m : Manifests.ofKind(all, "ConfigMap")) {
            if (isCreditsMap(m.name())) continue;
            for (String v : variables) {
                if (m.at("data").has(v)) {
                    problem(m, "sets " + v + ": the plans' credits belong in ConfigMap " + CREDITS_CONFIG_MAP
                            + " alone, which the API and the jobs all load");
                }
            }
        }
        Set<String> sources = new TreeSet<>();
        for (Resource owner : all) {
            String program = program(owner);
            boolean reader = program != null && facts.creditReaders().contains(program);
            for (JsonNode c : owner.containers()) {
                String cname = c.path("name").asText();
                for (JsonNode e : c.path("env")) {
                    String name = e.path("name").asText();
                    String ref = e.at("/valueFrom/configMapKeyRef/name").asText("");
                    if (variables.contains(name) && !isCreditsMap(ref)) {
                        problem(owner, "container " + cname + " sets " + name + " in its env, not from ConfigMap "
                                + CREDITS_CONFIG_MAP + ": the API and the jobs would disagree on the monthly allowance");
                    }
                }
                if (!reader) continue;
                Map<String, EnvValue> env = envValues(c);
                for (String v : variables) {
                    EnvValue got = env.get(v);
                    if (got == null) {
                        problem(owner, "container " + cname + " gets no " + v + " (load ConfigMap " + CREDITS_CONFIG_MAP
                                + "): it would grant the default while the others grant what the ConfigMap says");
                    } else if (got.configMap() == null || !isCreditsMap(got.configMap())) {
                        problem(owner, "container " + cname + " gets " + v + " from " + got.origin() + ", not from ConfigMap "
                                + CREDITS_CONFIG_MAP);
                    } else {
                        sources.add(got.configMap());
                        if (!got.value().strip().matches("\\d{1,18}")) {
                            problem(owner, "container " + cname + " gets " + v + "=" + got.value()
                                    + ", not a whole number of credits (0 or more): CreditPolicy refuses it at start");
                        }
                    }
                }
            }
        }
        if (sources.size() > 1) {
            problems.add("the credit readers load different ConfigMaps " + sources + ": they must share one");
        }
    }

    /** The program a workload runs: ApiMain for the project's API image, the job's entry class for a FlinkDeployment. */
    private String program(Resource owner) {
        if (owner.kind().equals("FlinkDeployment")) return owner.text("spec/job/entryClass");
        boolean api = owner.containers().stream().map(c -> c.path("image").asText("").replaceFirst(":[^:/]*$", ""))
                .anyMatch(repo -> repo.equals(facts.apiImage()) || repo.endsWith("/" + facts.apiImage()));
        return api ? AppFacts.API_MAIN : null;
    }

    /** Every variable a container is given is one its program reads: Tonearm's own, or a documented third party's. */
    private void environment() {
        for (Resource owner : all) {
            for (JsonNode c : owner.containers()) {
                String cname = c.path("name").asText();
                for (JsonNode e : c.path("env")) {
                    envName(owner, cname, e.path("name").asText(), null);
                    JsonNode ref = e.at("/valueFrom/configMapKeyRef");
                    if (ref.isObject() && configMapValue(ref.path("name").asText(), ref.path("key").asText()).isEmpty()) {
                        problem(owner, "env " + e.path("name").asText() + " refers to key " + ref.path("key").asText()
                                + " of ConfigMap " + ref.path("name").asText() + ", which does not exist");
                    }
                }
                for (JsonNode from : c.path("envFrom")) {
                    String cm = from.at("/configMapRef/name").asText(null);
                    if (cm == null) continue;
                    Resource map = Manifests.find(all, "ConfigMap", cm).orElse(null);
                    if (map == null) {
                        problem(owner, "envFrom ConfigMap " + cm + " does not exist");
                        continue;
                    }
                    for (Iterator<String> it = map.at("data").fieldNames(); it.hasNext(); ) {
                        envName(owner, cname, it.next(), cm);
                    }
                    if (owner.kind().equals("Deployment")) apiPort(owner, c, map);
                }
            }
        }
    }

    private java.util.Optional<String> configMapValue(String configMap, String key) {
        return Manifests.find(all, "ConfigMap", configMap).map(m -> m.at("data/" + key))
                .filter(v -> !v.isMissingNode()).map(JsonNode::asText);
    }

    private void envName(Resource owner, String container, String name, String configMap) {
        if (facts.envRead().contains(name) || AppFacts.THIRD_PARTY_ENV.containsKey(name)) return;
        problem(owner, "container " + container + " gets " + name + (configMap == null ? "" : " (ConfigMap " + configMap + ")")
                + ", which no Tonearm source reads and no listed third party uses");
    }

    /** The API listens on TONEARM_PORT (default {@link AppFacts#apiDefaultPort}); the container must declare it. */
    private void apiPort(Resource d, JsonNode c, Resource config) {
        int port = config.at("data/TONEARM_PORT").isMissingNode() ? facts.apiDefaultPort()
                : Integer.parseInt(config.at("data/TONEARM_PORT").asText());
        if (port != facts.apiDefaultPort()) {
            problem(d, "TONEARM_PORT " + port + " differs from the application's default " + facts.apiDefaultPort());
        }
        boolean declared = false;
        for (JsonNode p : c.path("ports")) declared |= p.path("containerPort").asInt() == port;
        if (!declared) problem(d, "container " + c.path("name").asText() + " does not declare port " + port);
    }

    private void secretsAndClaims() {
        Set<String> known = new HashSet<>(AppFacts.USER_SECRETS);
        Manifests.ofKind(all, "Secret").forEach(s -> known.add(s.name()));
        Manifests.ofKind(all, "Cluster").forEach(c -> known.add(c.name() + "-app")); // CloudNativePG's owner secret
        for (Resource owner : all) {
            List<JsonNode> refs = new ArrayList<>();
            owner.body().findParents("secretKeyRef").forEach(p -> refs.add(p.path("secretKeyRef").path("name")));
            owner.body().findParents("secretName").forEach(p -> refs.add(p.path("secretName")));
            for (JsonNode ref : refs) {
                if (ref.isTextual() && !known.contains(ref.asText())) {
                    problem(owner, "Secret " + ref.asText() + " is neither defined, made by an operator, nor documented");
                }
            }
            for (JsonNode claim : owner.body().findValues("claimName")) {
                if (Manifests.find(all, "PersistentVolumeClaim", claim.asText()).isEmpty()) {
                    problem(owner, "PersistentVolumeClaim " + claim.asText() + " does not exist");
                }
            }
        }
    }

    private void kafka() {
        List<Resource> clusters = Manifests.ofKind(all, "Kafka");
        if (clusters.size() != 1) {
            problems.add("expected one Kafka, found " + clusters.size());
            return;
        }
        Resource kafka = clusters.get(0);
        List<Resource> pools = Manifests.ofKind(all, "KafkaNodePool").stream()
                .filter(p -> kafka.name().equals(p.label("strimzi.io/cluster"))).toList();
        int brokers = 0;
        boolean controller = false;
        for (Resource p : pools) {
            Set<String> roles = new TreeSet<>();
            p.at("spec/roles").forEach(r -> roles.add(r.asText()));
            if (roles.contains("broker")) brokers += p.at("spec/replicas").asInt();
            controller |= roles.contains("controller");
        }
        if (!controller) problem(kafka, "no KafkaNodePool with the controller role (KRaft)");
        if (brokers == 0) problem(kafka, "no KafkaNodePool with brokers");
        if (!"enabled".equals(kafka.body().at("/metadata/annotations/strimzi.io~1node-pools").asText())) {
            problem(kafka, "annotation strimzi.io/node-pools: enabled is missing");
        }
        int rf = kafka.at("spec/kafka/config/transaction.state.log.replication.factor").asInt(3);
        if (rf > brokers) problem(kafka, "transaction.state.log.replication.factor " + rf + " > " + brokers + " brokers");

        Set<String> topics = new TreeSet<>();
        for (Resource t : Manifests.ofKind(all, "KafkaTopic")) {
            String name = t.text("spec/topicName") == null ? t.name() : t.text("spec/topicName");
            topics.add(name);
            if (!kafka.name().equals(t.label("strimzi.io/cluster"))) {
                problem(t, "label strimzi.io/cluster is not " + kafka.name());
            }
            if (t.at("spec/partitions").asInt(0) < 1) problem(t, "partitions missing");
            if (t.at("spec/replicas").asInt(0) > brokers) {
                problem(t, "replicas " + t.at("spec/replicas").asInt() + " > " + brokers + " brokers");
            }
        }
        if (!topics.equals(new TreeSet<>(facts.topics()))) {
            problems.add("KafkaTopics " + topics + " differ from the constants of events Topics " + new TreeSet<>(facts.topics()));
        }
    }

    private void postgresAndElasticsearch() {
        if (Manifests.ofKind(all, "Cluster").size() != 1) problems.add("expected one CloudNativePG Cluster");
        for (Resource es : Manifests.ofKind(all, "Elasticsearch")) {
            if (!facts.elasticsearchVersion().equals(es.text("spec/version"))) {
                problem(es, "version " + es.text("spec/version") + " differs from the tested server "
                        + facts.elasticsearchVersion());
            }
            JsonNode config = es.at("spec/nodeSets").path(0).path("config");
            if (config.path("xpack.security.authc.anonymous.roles").isMissingNode()) {
                problem(es, "no anonymous role: the search clients send no credentials");
            }
        }
        for (Resource f : Manifests.ofKind(all, "FlinkDeployment")) {
            for (JsonNode c : f.containers()) {
                for (JsonNode e : c.path("env")) {
                    if (e.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")
                            && !e.path("value").asText().contains("-" + facts.flinkVersion() + ".jar")) {
                        problem(f, "plugin " + e.path("value").asText() + " is not for Flink " + facts.flinkVersion());
                    }
                }
            }
        }
    }

    private static boolean contains(JsonNode labels, JsonNode selector) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) return false;
        }
        return true;
    }

    private static boolean hasPort(JsonNode container, JsonNode port) {
        for (JsonNode p : container.path("ports")) {
            if (port.isInt() ? p.path("containerPort").asInt() == port.asInt() : port.asText().equals(p.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameNamespace(Resource a, Resource b) {
        return a.namespace().equals(b.namespace());
    }
}
