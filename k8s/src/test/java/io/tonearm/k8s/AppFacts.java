package io.tonearm.k8s;

import io.tonearm.events.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the manifests must agree with, read from the code they deploy (never restated by hand, except the two lists
 * at the bottom, each with its reason).
 *
 * @param envRead             every {@code TONEARM_*} name quoted in the main sources of the modules the API image
 *                            runs (ingest-api, sinks, analysis, events): the names the application can read
 * @param apiDefaultPort      ApiMain's default for TONEARM_PORT
 * @param topics              the constants of {@link Topics}
 * @param apiImage            the image ingest-api's Jib profile builds (without tag)
 * @param pipelineImage       the image pipeline's Jib profile builds (without tag)
 * @param elasticsearchVersion the server version the tests run (parent pom)
 * @param flinkVersion        the Flink the pipeline is built against (parent pom)
 * @param analysisArgsRequired / analysisArgsMax  from AnalysisJob.main's usage line
 * @param catalogArgsRequired / catalogArgsMax    from CatalogScanJob.main's usage line
 * @param ingestArgsRequired / ingestArgsMax      from IngestCommandJob.main's usage line
 * @param creditAllowances    sinks' CreditPolicy: each plan's variable ({@code TONEARM_CREDITS_<PLAN>}) and its
 *                            default, {@code CreditPolicy.defaults()}
 * @param creditReaders       the programs ({@link #API_MAIN} and the pipeline's jobs) whose main reads those
 *                            variables ({@code CreditPolicy.configured}): each grants an account's monthly allowance when
 *                            it charges first, so each must get the same values
 */
record AppFacts(Set<String> envRead, int apiDefaultPort, Set<String> topics, String apiImage, String pipelineImage,
                String elasticsearchVersion, String flinkVersion, int analysisArgsRequired, int analysisArgsMax,
                int catalogArgsRequired, int catalogArgsMax, int ingestArgsRequired, int ingestArgsMax,
                Map<String, Long> creditAllowances, Set<String> creditReaders) {

    static final String API_MAIN = "io.tonearm.api.ApiMain";

    static final String ANALYSIS_JOB = "io.tonearm.pipeline.analysis.AnalysisJob";
    static final String CATALOG_SCAN_JOB = "io.tonearm.pipeline.catalog.CatalogScanJob";
    static final String INGEST_JOB = "io.tonearm.pipeline.catalog.IngestCommandJob";

    /** Environment variables read by third-party code in the Flink pods, not by Tonearm. */
    static final Map<String, String> THIRD_PARTY_ENV = Map.of(
            "ENABLE_BUILT_IN_PLUGINS", "the Flink image's entrypoint copies these plugins (the S3 filesystem) into place",
            "PGPASSFILE", "the PostgreSQL JDBC driver reads the password from this file when none is given",
            "AWS_ACCESS_KEY_ID", "the AWS SDK default credential chain: Flink's S3 filesystem and the S3 blob store",
            "AWS_SECRET_ACCESS_KEY", "the AWS SDK default credential chain: Flink's S3 filesystem and the S3 blob store",
            "AWS_REGION", "the AWS SDK's region, which the S3 blob store falls back to without TONEARM_S3_REGION");

    /** Secrets the operator creates by hand before `kubectl apply -k` (k8s/README.md says how). */
    static final Set<String> USER_SECRETS = Set.of("tonearm-api-secrets", "tonearm-object-store");

    private static final Pattern ENV_LITERAL = Pattern.compile("\"(TONEARM_[A-Z0-9_]+)\"");

    static AppFacts fromProject(Path root) {
        Set<String> env = new TreeSet<>();
        for (String module : new String[]{"ingest-api", "sinks", "analysis", "events"}) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    Matcher m = ENV_LITERAL.matcher(read(f));
                    while (m.find()) env.add(m.group(1));
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Long> credits = creditAllowances(root);
        env.addAll(credits.keySet()); // read under a composed name ("TONEARM_CREDITS_" + plan), so not quoted whole
        String apiMain = read(root.resolve("ingest-api/src/main/java/io/tonearm/api/ApiMain.java"));
        int port = Integer.parseInt(group(apiMain, "\"TONEARM_PORT\",\\s*\"(\\d+)\"", "ApiMain's TONEARM_PORT default"));

        String parentPom = read(root.resolve("pom.xml"));
        int[] analysis = arity(root, ANALYSIS_JOB);
        int[] scan = arity(root, CATALOG_SCAN_JOB);
        int[] ingest = arity(root, INGEST_JOB);
        return new AppFacts(Set.copyOf(env), port, topicConstants(),
                jibImage(root.resolve("ingest-api/pom.xml")), jibImage(root.resolve("pipeline/pom.xml")),
                group(parentPom, "<elasticsearch.version>([^<]+)<", "elasticsearch.version"),
                group(parentPom, "<flink.version>([^<]+)<", "flink.version"), analysis[0], analysis[1],
                scan[0], scan[1], ingest[0], ingest[1], credits, creditReaders(root));
    }

    /** {@code TONEARM_CREDITS_<PLAN>} → default, from CreditPolicy: its variable prefix and {@code defaults()}'s puts. */
    private static Map<String, Long> creditAllowances(Path root) {
        String policy = read(root.resolve("sinks/src/main/java/io/tonearm/sinks/credits/CreditPolicy.java"));
        String prefix = group(policy, "\"(TONEARM_CREDITS_)\"\\s*\\+\\s*\\w+\\.name\\(\\)", "CreditPolicy's variable prefix");
        String defaults = group(policy, "(?s)static CreditPolicy defaults\\(\\)\\s*\\{(.*?)\\n    }", "CreditPolicy.defaults()");
        Map<String, Long> out = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("put\\(Plan\\.([A-Z_]+),\\s*(\\d+)L?\\)").matcher(defaults);
        while (m.find()) out.put(prefix + m.group(1), Long.parseLong(m.group(2)));
        if (out.isEmpty()) throw new IllegalStateException("cannot find the plans' allowances in CreditPolicy.defaults()");
        return Map.copyOf(out);
    }

    /** The API and the pipeline jobs whose sources read the credit policy from the environment. */
    private static Set<String> creditReaders(Path root) {
        Set<String> out = new TreeSet<>();
        Map<String, Path> sources = Map.of(
                API_MAIN, root.resolve("ingest-api/src/main/java/io/tonearm/api/ApiMain.java"),
                ANALYSIS_JOB, jobSource(root, ANALYSIS_JOB), CATALOG_SCAN_JOB, jobSource(root, CATALOG_SCAN_JOB),
                INGEST_JOB, jobSource(root, INGEST_JOB));
        sources.forEach((program, source) -> {
            if (read(source).contains("CreditPolicy.configured(")) out.add(program);
        });
        return Set.copyOf(out);
    }

    private static Path jobSource(Path root, String mainClass) {
        return root.resolve("pipeline/src/main/java/" + mainClass.replace('.', '/') + ".java");
    }

    /** {required, most} arguments of a Flink job's {@code main}, from its usage line ({@code <a> <b> [c]}). */
    private static int[] arity(Path root, String mainClass) {
        String simple = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        String source = read(jobSource(root, mainClass));
        String usage = group(source, "usage: " + simple + " ([^\"]*)\"", simple + "'s usage line");
        int required = count(usage, "<[^>]+>");
        return new int[]{required, required + count(usage, "\\[[^]]+]")};
    }

    private static Set<String> topicConstants() {
        Set<String> names = new TreeSet<>();
        for (Field f : Topics.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && Modifier.isPublic(mod) && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Set.copyOf(names);
    }

    private static String jibImage(Path pom) {
        return group(read(pom), "<to><image>([^<:]+)(?::[^<]*)?</image></to>", "the Jib <to><image> of " + pom);
    }

    private static String group(String text, String regex, String what) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) throw new IllegalStateException("cannot find " + what);
        return m.group(1);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
