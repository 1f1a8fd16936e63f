package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tonearm.api.ApiConfig;
import io.tonearm.api.ApiMain;
import io.tonearm.api.accounts.Plan;
import io.tonearm.api.credits.CreditPolicy;
import io.tonearm.events.Topics;
import io.tonearm.launcher.up.AnalysisJobForTests;
import io.tonearm.launcher.up.TestAudio;
import io.tonearm.localstack.KafkaServer;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code tonearm ingest --models --wait --out} against the API and the real analysis job on a Flink MiniCluster
 * (PostgreSQL and Kafka from local-stack; no Elasticsearch: search documents are discarded).
 */
class IngestAnalysesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;
    static ApiMain.Running api;
    static JobClient pipeline;

    @BeforeAll
    static void start() throws Exception {
        PostgresServer pg = LocalStack.shared().postgres();
        String jdbcUrl = pg.createDatabase("ingest_" + UUID.randomUUID().toString().substring(0, 8));
        KafkaServer kafka = LocalStack.shared().kafka();
        kafka.createTopics(2, Topics.ASSETS, Topics.REQUESTS, Topics.RESULTS);
        api = ApiMain.start(new ApiMain.Settings(dataDir, jdbcUrl, PostgresServer.SUPERUSER, null,
                        kafka.bootstrapServers(), 0, "ingest-e2e"),
                // basic accounts get 3 credits a month here: one lufs request (2 credits), then 402
                ApiConfig.defaults(dataDir).withCredits(CreditPolicy.defaults().withMonthlyAllowance(Plan.BASIC, 3)),
                dataDir.resolve("blobs").toString(), List.of());
        pipeline = AnalysisJobForTests.start(kafka.bootstrapServers(), "ingest-e2e-analysis",
                new PostgresConnection(jdbcUrl, PostgresServer.SUPERUSER, null));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.cancel().get(60, TimeUnit.SECONDS);
        if (api != null) api.close();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run ingest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String url() {
        return "http://localhost:" + api.server().port();
    }

    @Test
    void requestsWaitsAndWritesResultsThenARerunCreatesNoJobs(@TempDir Path tmp) throws Exception {
        String key = api.server().accounts().createAccount("ingest-results", Plan.PRO).plainKey();
        Path audio = Files.createDirectories(tmp.resolve("catalog/sub"));
        TestAudio.music120InAMajor(audio.resolve("music.wav"), 20);
        TestAudio.sine(tmp.resolve("catalog/a440.wav"), 440, 0.5, 5);
        Path catalog = tmp.resolve("catalog");
        Path state = tmp.resolve("state.jsonl");
        Path jsonl = tmp.resolve("out/results.jsonl");

        Run first = ingest(catalog.toString(), "--api", url(), "--key", key, "--models", "bpm,key,loudness-ebur128,chords",
                "--wait", "--out", jsonl.toString(), "--state", state.toString(), "--concurrency", "2");
        System.out.println(first.out());
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.err()).contains("jobs 8/8 done, 0 failed");
        assertThat(first.out()).contains("analyses").containsPattern("lufs\\s+2\\s+0\\s+0");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(l -> l.get("file").asText()).containsExactly("a440.wav", "sub/music.wav");
        JsonNode sine = lines.get(0);
        JsonNode music = lines.get(1);
        assertThat(sine.get("errors").size()).as(sine.toString()).isZero();
        assertThat(music.get("errors").size()).as(music.toString()).isZero();
        assertThat(sine.get("sha256").asText()).hasSize(64);
        assertThat(sine.get("asset_id").asText()).isNotBlank();
        // mono sine of amplitude 0.5: -9.03 dB mean square, -0.691 dB, K-weighting +0.03 dB at 440 Hz
        assertThat(sine.at("/results/lufs/integrated_lufs").asDouble()).isCloseTo(-9.7, within(0.3));
        assertThat(sine.at("/results/lufs/true_peak_dbtp").asDouble()).isCloseTo(-6.0, within(0.3));
        assertThat(music.at("/results/bpm/tempo").asDouble()).as(music.toString()).isBetween(118.0, 122.0);
        assertThat(music.at("/results/key/key").asText()).isEqualTo("A");
        assertThat(music.at("/results/key/mode").asText()).isEqualTo("major");
        assertThat(music.at("/results/chords/summary/0/label").asText()).isEqualTo("A:maj");
        int jobs = jobCount(key);
        assertThat(jobs).isEqualTo(8);
        // the state holds every job id, so the rerun below waits on them without asking the API again
        java.util.Set<String> recorded = new java.util.HashSet<>();
        try (IngestState s = IngestState.open(state)) {
            for (String file : List.of("a440.wav", "sub/music.wav")) {
                Path p = catalog.toAbsolutePath().normalize().resolve(file);
                recorded.addAll(s.find(p.toString(), Files.size(p), Files.getLastModifiedTime(p).toMillis())
                        .orElseThrow().jobs().values());
            }
        }
        java.util.Set<String> listed = new java.util.HashSet<>();
        get("/v1/jobs?limit=100", key).get("items").forEach(j -> listed.add(j.get("job_id").asText()));
        assertThat(recorded).isEqualTo(listed);

        // the same run again, with its state: waits on the recorded jobs, asks nothing new
        Path csv = tmp.resolve("out/results.csv");
        Run again = ingest(catalog.toString(), "--api", url(), "--key", key, "--models", "bpm,key,lufs,chords",
                "--wait", "--out", csv.toString(), "--state", state.toString());
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(jobCount(key)).isEqualTo(jobs);
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo(String.join(",", ResultsFile.CSV_COLUMNS));
        String[] musicRow = rows.get(2).split(",", -1);
        assertThat(musicRow[0]).isEqualTo("sub/music.wav");
        assertThat(Double.parseDouble(musicRow[3])).isBetween(118.0, 122.0);
        assertThat(musicRow[5]).isEqualTo("A");
        assertThat(musicRow[6]).isEqualTo("major");
        assertThat(Double.parseDouble(rows.get(1).split(",", -1)[7])).isCloseTo(-9.7, within(0.3));
        assertThat(musicRow[10]).startsWith("A:maj ");
        assertThat(musicRow[11]).isEmpty();

        // without the state (another machine, a lost file): the Idempotency-Keys still return the same jobs
        Run stateless = ingest(catalog.toString(), "--api", url(), "--key", key, "--models", "bpm,key,lufs,chords",
                "--wait", "--state", tmp.resolve("other-state.jsonl").toString());
        assertThat(stateless.exit()).as(stateless.out() + stateless.err()).isZero();
        assertThat(jobCount(key)).isEqualTo(jobs);
    }

    @Test
    void anUnknownModelIsAUsageErrorBeforeAnyUpload(@TempDir Path tmp) throws Exception {
        String key = api.server().accounts().createAccount("ingest-usage", Plan.PRO).plainKey();
        TestAudio.sine(tmp.resolve("a.wav"), 440, 0.5, 1);
        Run run = ingest(tmp.toString(), "--api", url(), "--key", key, "--models", "bpm,tempo-magic",
                "--state", tmp.resolve("state.jsonl").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown model tempo-magic");
        assertThat(get("/v1/assets", key).get("count").asLong()).isZero();

        Run outWithoutWait = ingest(tmp.toString(), "--api", url(), "--key", key, "--models", "bpm",
                "--out", tmp.resolve("r.jsonl").toString());
        assertThat(outWithoutWait.exit()).isEqualTo(2);
        assertThat(get("/v1/assets", key).get("count").asLong()).isZero();
    }

    @Test
    void filesThatCannotBeAnalyzedFailTheRunWithTheirErrorsInTheSummaryAndTheOutput(@TempDir Path tmp) throws Exception {
        String key = api.server().accounts().createAccount("ingest-failing", Plan.PRO).plainKey();
        Path catalog = Files.createDirectories(tmp.resolve("catalog"));
        TestAudio.sine(catalog.resolve("good.wav"), 440, 0.5, 3);
        // a WAV header (the scan's magic bytes pass) followed by garbage: no decoder can read it
        byte[] broken = new byte[4096];
        new java.util.Random(7).nextBytes(broken);
        System.arraycopy("RIFF\0\0\0\0WAVEjunk".getBytes(), 0, broken, 0, 16);
        Files.write(catalog.resolve("broken.wav"), broken);
        // a valid WAV without samples: accepted, its job fails in the pipeline ("no_samples")
        TestAudio.sine(catalog.resolve("empty.wav"), 440, 0.5, 0);
        Path jsonl = tmp.resolve("results.jsonl");

        Run run = ingest(catalog.toString(), "--api", url(), "--key", key, "--models", "lufs", "--wait",
                "--out", jsonl.toString(), "--state", tmp.resolve("state.jsonl").toString());
        System.out.println(run.out());
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("Problems:").containsPattern("broken\\.wav: lufs: failed: \\S+")
                .contains("empty.wav: lufs: failed: undecodable recording (no_samples)");
        assertThat(run.out()).containsPattern("lufs\\s+1\\s+2\\s+0");
        Map<String, JsonNode> byFile = new java.util.HashMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode n = JSON.readTree(line);
            byFile.put(n.get("file").asText(), n);
        }
        assertThat(byFile.get("broken.wav").at("/errors/lufs").asText()).startsWith("failed: ");
        assertThat(byFile.get("broken.wav").get("results").size()).isZero();
        assertThat(byFile.get("empty.wav").at("/errors/lufs").asText()).contains("no_samples");
        assertThat(byFile.get("good.wav").at("/results/lufs/integrated_lufs").asDouble()).isCloseTo(-9.7, within(0.3));
        assertThat(byFile.get("good.wav").get("errors").size()).isZero();
    }

    @Test
    void runningOutOfCreditsStopsRequestingAndSaysSo(@TempDir Path tmp) throws Exception {
        String key = api.server().accounts().createAccount("ingest-poor", Plan.BASIC).plainKey();
        Path catalog = Files.createDirectories(tmp.resolve("catalog"));
        TestAudio.sine(catalog.resolve("a.wav"), 550, 0.5, 2);
        TestAudio.sine(catalog.resolve("b.wav"), 660, 0.5, 2);
        TestAudio.sine(catalog.resolve("c.wav"), 770, 0.5, 2);
        Path jsonl = tmp.resolve("results.jsonl");

        Run run = ingest(catalog.toString(), "--api", url(), "--key", key, "--models", "lufs", "--wait", "--concurrency", "1",
                "--out", jsonl.toString(), "--state", tmp.resolve("state.jsonl").toString());
        System.out.println(run.out());
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("Out of credits: 2 analyses were not requested").contains("insufficient_credits");
        assertThat(jobCount(key)).isEqualTo(1);
        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).hasSize(3);
        assertThat(lines.stream().filter(l -> l.contains("integrated_lufs"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.contains("not requested: out of credits"))).hasSize(2);
    }

    private static int jobCount(String key) throws Exception {
        return get("/v1/jobs?limit=100", key).get("items").size();
    }

    private static JsonNode get(String path, String key) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
