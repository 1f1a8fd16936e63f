package io.tonearm.launcher.bench;

import io.tonearm.api.ApiConfig;
import io.tonearm.api.ApiMain;
import io.tonearm.api.accounts.AccountService;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.accounts.PlanLimits;
import io.tonearm.events.Topics;
import io.tonearm.launcher.up.AnalysisJobForTests;
import io.tonearm.localstack.KafkaServer;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benches' code paths on tiny inputs, so they cannot rot: the API bench and the pipeline bench against the API and
 * the real analysis job (PostgreSQL and Kafka from local-stack, no Elasticsearch). Checks that they run, that what
 * they wait for really arrived, and that they print every figure; the speeds themselves are not asserted.
 */
class BenchEndToEndTest {

    @TempDir
    static Path dataDir;
    static ApiMain.Running api;
    static JobClient pipeline;
    static String jdbcUrl;

    @BeforeAll
    static void start() throws Exception {
        PostgresServer pg = LocalStack.shared().postgres();
        jdbcUrl = pg.createDatabase("bench_" + UUID.randomUUID().toString().substring(0, 8));
        KafkaServer kafka = LocalStack.shared().kafka();
        kafka.createTopics(2, Topics.ASSETS, Topics.REQUESTS, Topics.RESULTS);
        api = ApiMain.start(new ApiMain.Settings(dataDir, jdbcUrl, PostgresServer.SUPERUSER, null, kafka.bootstrapServers(), 0,
                        "bench-e2e"), ApiConfig.defaults(dataDir).withLimits(Plan.PRO,
                        new PlanLimits(1_000_000, Duration.ofMinutes(1), ApiConfig.GIB)),
                dataDir.resolve("blobs").toString(), List.of());
        pipeline = AnalysisJobForTests.start(kafka.bootstrapServers(), "bench-e2e-analysis",
                new PostgresConnection(jdbcUrl, PostgresServer.SUPERUSER, null));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.cancel().get(60, TimeUnit.SECONDS);
        if (api != null) api.close();
    }

    private static String url() {
        return "http://localhost:" + api.server().port();
    }

    @Test
    void apiBenchPrintsUploadAndLatencyFigures(@TempDir Path work) throws Exception {
        AccountService accounts = api.server().accounts();
        AccountService.CreatedAccount account = accounts.createAccount("bench-api", Plan.PRO);
        List<String> keys = List.of(account.plainKey(), accounts.createKey(account.account().id(), "second"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new ApiBench(url(), keys, api.db().dataSource(), work, new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run(new ApiBench.Settings(3_000_000, 2, 1.0, 60, 2, Duration.ofSeconds(1)));

        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(out).contains("heap ceiling", "1 file of 3 MB (random bytes): POST /v1/assets/upload",
                "2 WAV files of 0.2 MB", "sha256sum (reference)", "catalog: 60 assets",
                "GET /metrics (HTTP, no database; reference)", "SELECT 1 through the API's pool", "GET /v1/assets?page_limit=50",
                "GET /v1/assets/{id}");
        // 60 catalog assets, the large file and the two WAV files, all of this account
        assertThat(count("SELECT count(*) FROM assets WHERE account_id = '" + account.account().id() + "'")).isEqualTo(63);
        assertThat(work).isEmptyDirectory().as("the bench removes its files");
    }

    @Test
    void pipelineBenchWaitsForEveryResultRowAndPrintsRecordingsPerMinute(@TempDir Path work) throws Exception {
        String key = api.server().accounts().createAccount("bench-pipeline", Plan.PRO).plainKey();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Database db = Database.open(jdbcUrl, PostgresServer.SUPERUSER, null, 2);
             PipelineBench bench = new PipelineBench(url(), key, db,
                     LocalStack.shared().postgres().dataDirectory(), work, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            PipelineBench.Figures f = bench.run(new PipelineBench.Settings(1, 2, 3, 1, 2, 1));

            String out = bytes.toString(StandardCharsets.UTF_8);
            System.out.println(out);
            assertThat(f.lightLatencies()).hasSize(1);
            assertThat(f.rounds()).hasSize(2).allSatisfy(r -> {
                assertThat(r.latencies()).hasSize(2);
                assertThat(r.bareRate()).isPositive();
                assertThat(r.burstVsBare()).isPositive();
                assertThat(r.steadyVsBare()).isPositive();
                assertThat(java.util.Arrays.stream(r.split().perSubtask()).sum()).as("every recording on a subtask").isEqualTo(2);
                // CPU by part (Linux /proc; this JVM runs the job and started PostgreSQL)
                assertThat(r.pipelineCpu().get(CpuShares.ANALYSIS)).as("the coordinator threads analysed").isPositive();
                assertThat(r.pipelineCpu().get(CpuShares.SINK)).as("the sink wrote").isPositive();
                assertThat(r.pipelineCpu().get(CpuShares.API)).as("the API took the uploads").isPositive();
                assertThat(r.pipelineCpu().get(CpuShares.POSTGRES)).as("PostgreSQL stored").isPositive();
                assertThat(r.bareCpu().get(CpuShares.JVM_OTHER)).as("the bare runner's threads analysed").isPositive();
                assertThat(r.cpuVsIndexed()).hasValueSatisfying(v -> assertThat(v).isPositive());
            });
            // the JVM's own threads are found by their Linux names: a young JVM compiles in every phase
            assertThat(f.rounds().stream().mapToDouble(r -> r.bareCpu().get(CpuShares.JIT) + r.pipelineCpu().get(CpuShares.JIT)).sum())
                    .as("JIT compiler threads' CPU").isPositive();
            assertThat(out).contains("1 + 3 x 2 recordings", "warm-up", "median", "one at a time: p50", "burst of 2:  p50",
                    "CPU seconds per recording", CpuShares.POSTGRES, CpuShares.JIT);
            try (var left = Files.list(work)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("each round's files are removed once uploaded")
                        .noneMatch(name -> name.startsWith("round"));
            }
        }
        // 1 + 3 x 2 recordings (a warm-up round and two) x the standard set, each result row once, every job succeeded
        assertThat(count("SELECT count(*) FROM analysis_results WHERE status = 'succeeded' AND analyzer <> 'fingerprint'")).isEqualTo(35);
        assertThat(count("SELECT count(*) FROM analysis_results WHERE analyzer = 'fingerprint'")).as("indexed once each").isEqualTo(7);
        assertThat(count("SELECT count(*) FROM jobs WHERE status = 'succeeded'")).isEqualTo(35);
    }

    private static long count(String sql) throws Exception {
        try (var c = api.db().dataSource().getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
