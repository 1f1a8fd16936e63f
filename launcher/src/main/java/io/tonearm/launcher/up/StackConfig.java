package io.tonearm.launcher.up;

import io.tonearm.sinks.blobs.BlobStores;
import io.tonearm.sinks.blobs.S3Location;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code tonearm up} runs and where. A part given as an external address (JDBC URL, Kafka bootstrap servers,
 * Elasticsearch URL) is used as is and not started. Ports: 0 means a free one (tests); {@link #derived} gives
 * the fixed ports {@code tonearm up} uses, next to the API port.
 *
 * @param dataDir          everything the stack keeps: {@code pg/}, {@code kafka/}, {@code es/}, {@code blobs/},
 *                         {@code flink/}, {@code logs/}, the state file and the default API key
 * @param apiPort          the API's port
 * @param postgresPort     the embedded PostgreSQL's port (unused with {@code jdbcUrl})
 * @param kafkaPort        the embedded broker's client port (unused with {@code kafka})
 * @param elasticsearchPort the embedded node's HTTP port (unused with {@code elasticsearch})
 * @param jdbcUrl          an external database, or null to run PostgreSQL under {@code dataDir/pg}
 * @param dbUser           user for {@code jdbcUrl} (null: taken from the URL)
 * @param dbPassword       password for {@code jdbcUrl}
 * @param kafka            external bootstrap servers, or null to run a broker under {@code dataDir/kafka}
 * @param elasticsearch    an external node's URL, or null to run one under {@code dataDir/es}
 * @param blobStore        where uploaded bytes and job outputs live: a directory or {@code s3://BUCKET/PREFIX}
 *                         (sinks' {@code BlobStores}; default the directory {@code dataDir/blobs})
 * @param pipeline         whether to run the analysis job on a Flink MiniCluster in this JVM
 * @param parallelism      the analysis job's parallelism (recordings analyzed at once)
 * @param search           whether to run (or use) Elasticsearch at all; without it search answers 503 and the
 *                         analysis job discards search documents (the API bench needs neither)
 * @param watch            a directory or bucket the catalog-scan job registers for an account, or null
 */
public record StackConfig(Path dataDir, int apiPort, int postgresPort, int kafkaPort, int elasticsearchPort,
                          String jdbcUrl, String dbUser, String dbPassword, String kafka, String elasticsearch,
                          String blobStore, boolean pipeline, int parallelism, boolean search, Watch watch) {

    public StackConfig {
        dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        // a location that cannot work is a usage error, before anything starts
        blobStore = BlobStores.validate(blobStore == null || blobStore.isBlank() ? dataDir.resolve("blobs").toString() : blobStore);
        for (int p : new int[] {apiPort, postgresPort, kafkaPort, elasticsearchPort}) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1");
        }
        if (watch != null && !pipeline) {
            throw new IllegalArgumentException("--watch needs the pipeline (drop --no-pipeline)");
        }
    }

    /**
     * {@code --watch DIR [--account NAME]}: the catalog-scan job registers every audio file under {@code dir} as an
     * asset of {@code account} (created when missing).
     *
     * @param dir     what the job lists: a {@code file:} URI, or {@code s3://BUCKET/PREFIX/} (no query)
     * @param account the owner's name
     * @param s3      for a bucket, where it is served ({@link S3Location}: endpoint, region, path style; its prefix is
     *                unused): the settings Flink's S3 plugin gets ({@link FlinkS3Plugin}); null for a directory
     */
    public record Watch(String dir, String account, S3Location s3) {
        public static final String DEFAULT_ACCOUNT = "catalog";
        private static final Pattern URI_SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+)://");

        public Watch {
            Objects.requireNonNull(dir, "dir");
            account = account == null || account.isBlank() ? DEFAULT_ACCOUNT : account.strip();
        }

        /** As {@link #of(String, String, Map)} with the process environment. */
        public static Watch of(String dir, String account) {
            return of(dir, account, System.getenv());
        }

        /**
         * A local path becomes an absolute {@code file:} URI, a {@code file:} URI is used as is, and
         * {@code s3://BUCKET[/PREFIX][?endpoint=…&region=…&path_style=…]} is a bucket whose settings are read exactly
         * as the blob store reads its own (sinks' {@link S3Location}: the query, else {@code TONEARM_S3_ENDPOINT},
         * {@code TONEARM_S3_REGION}, {@code TONEARM_S3_PATH_STYLE} in {@code env}). Any other scheme, or S3 settings
         * that cannot work, are an {@link IllegalArgumentException} starting with {@code --watch} (credentials in the
         * location are refused and never repeated).
         */
        public static Watch of(String dir, String account, Map<String, String> env) {
            String text = dir.strip();
            Matcher scheme = URI_SCHEME.matcher(text);
            if (text.regionMatches(true, 0, "file:", 0, 5)) {
                return new Watch(text, account, null);
            }
            if (!scheme.find()) {
                return new Watch(Path.of(text).toAbsolutePath().normalize().toUri().toString(), account, null);
            }
            if (!scheme.group(1).equalsIgnoreCase("s3")) {
                throw new IllegalArgumentException("--watch: the scheme '" + scheme.group(1) + "' is not supported; give a"
                        + " directory, a file: URI or s3://BUCKET/PREFIX");
            }
            return bucket(text, account, env);
        }

        private static Watch bucket(String text, String account, Map<String, String> env) {
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                // the reason only: the input may hold credentials
                throw new IllegalArgumentException("--watch: not a valid s3:// URI (" + e.getReason() + " at index " + e.getIndex() + ")");
            }
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            // The bucket with the location's query and fragment: S3Location checks and completes them as for the blob
            // store (the key prefix of a catalog may hold any name, so it is not S3Location's business).
            String settings = "s3://" + authority + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
            S3Location where;
            try {
                where = S3Location.parse(settings, env);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--watch: " + e.getMessage().replace("invalid blob store location: ", "invalid S3 location: "), e);
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new Watch("s3://" + where.bucket() + path, account, where);
        }

        /** The listed location and, for a bucket, where it is served (for the start-up line; never credentials). */
        public String describe() {
            if (s3 == null) {
                return dir;
            }
            return dir + (s3.endpoint() == null ? " (AWS, " + s3.region() + ")" : " at " + s3.endpoint());
        }
    }

    /**
     * Everything embedded, under {@code dataDir}: the API on {@code apiPort}, PostgreSQL on {@code apiPort + 1},
     * Kafka on {@code + 2}, Elasticsearch on {@code + 3}; with {@code apiPort} 0, every port is a free one.
     */
    public static StackConfig derived(Path dataDir, int apiPort) {
        int base = apiPort;
        return new StackConfig(dataDir, apiPort, base == 0 ? 0 : base + 1, base == 0 ? 0 : base + 2,
                base == 0 ? 0 : base + 3, null, null, null, null, null, null, true, 1, true, null);
    }

    public StackConfig withJdbc(String url, String user, String password) {
        return new StackConfig(dataDir, apiPort, postgresPort, kafkaPort, elasticsearchPort, url, user, password, kafka,
                elasticsearch, blobStore, pipeline, parallelism, search, watch);
    }

    public StackConfig withKafka(String bootstrapServers) {
        return new StackConfig(dataDir, apiPort, postgresPort, kafkaPort, elasticsearchPort, jdbcUrl, dbUser, dbPassword,
                bootstrapServers, elasticsearch, blobStore, pipeline, parallelism, search, watch);
    }

    public StackConfig withElasticsearch(String url) {
        return new StackConfig(dataDir, apiPort, postgresPort, kafkaPort, elasticsearchPort, jdbcUrl, dbUser, dbPassword,
                kafka, url, blobStore, pipeline, parallelism, search, watch);
    }

    public StackConfig withBlobStore(String location) {
        return new StackConfig(dataDir, apiPort, postgresPort, kafkaPort, elasticsearchPort, jdbcUrl, dbUser, dbPassword,
                kafka, elasticsearch, location, pipeline, parallelism, search, watch);
    }

    public StackConfig withPipeline(boolean run, int jobParallelism) {
        return new StackConfig(dataDir, apiPort, postgresPort, kafkaPort, elasticsearchPort, jdbcUrl, dbUser, dbPassword,
                kafka, elasticsearch, blobStore, run, jobParallelism, search, watch);
    }

    /** Without Elasticsearch: none is started or used. */
    public StackConfig withoutSearch() {
        return new StackConfig(dataDir, apiPort, postgresPort, kafkaPort, elasticsearchPort, jdbcUrl, dbUser, dbPassword,
                kafka, null, blobStore, pipeline, parallelism, false, watch);
    }

    public StackConfig withWatch(Watch w) {
        return new StackConfig(dataDir, apiPort, postgresPort, kafkaPort, elasticsearchPort, jdbcUrl, dbUser, dbPassword,
                kafka, elasticsearch, blobStore, pipeline, parallelism, search, w);
    }

    Path postgresDir() {
        return dataDir.resolve("pg");
    }

    Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    Path elasticsearchDir() {
        return dataDir.resolve("es");
    }

    Path flinkDir() {
        return dataDir.resolve("flink");
    }
}
