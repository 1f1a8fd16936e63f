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
 */
record AppFacts(Set<String> envRead, int apiDefaultPort, Set<String> topics, String apiImage, String pipelineImage,
                String elasticsearchVersion, String flinkVersion, int analysisArgsRequired, int analysisArgsMax,
                int catalogArgsRequired, int catalogArgsMax, int ingestArgsRequired, int ingestArgsMax) {

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
                scan[0], scan[1], ingest[0], ingest[1]);
    }

    /** {required, most} arguments of a Flink job's {@code main}, from its usage line ({@code <a> <b> [c]}). */
    private static int[] arity(Path root, String mainClass) {
        String simple = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        String source = read(root.resolve("pipeline/src/main/java/" + mainClass.replace('.', '/') + ".java"));
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
