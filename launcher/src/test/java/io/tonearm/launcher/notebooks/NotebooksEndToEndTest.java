package io.tonearm.launcher.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tonearm.launcher.Tonearm;
import io.tonearm.launcher.up.Stack;
import io.tonearm.launcher.up.StackConfig;
import io.tonearm.launcher.up.TestAudio;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The notebooks in {@code notebooks/}, executed by {@code jupyter nbconvert --execute} against the stack as
 * {@code tonearm up} runs it (here on the test JVM's shared PostgreSQL, Kafka and Elasticsearch, as
 * {@code up --jdbc-url --kafka --elasticsearch} would): a key from {@code tonearm keys create}, a catalog of eight
 * synthesized recordings of known tempo, key and level uploaded and analyzed by {@code tonearm ingest --wait}, then
 * every notebook run once with {@code TONEARM_API} and {@code TONEARM_KEY}; the executed copies go to a temporary
 * folder and their outputs are checked against the API's own results.
 *
 * <p>Needs {@code jupyter nbconvert} and the notebooks' Python libraries ({@link Jupyter#PACKAGES}); fails saying
 * so when they are missing, skips with {@code -Dtonearm.notebooks.skip=true}.
 */
class NotebooksEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One synthesized recording: I–IV–V–I (or i–iv–V–i) in {@code tonic} at {@code bpm}, four bars long. */
    private record Track(String file, double bpm, int tonic, boolean minor, double peak) {
    }

    /** Three A major 120 BPM pieces at three levels (the similar-track seed and its nearest), then five keys and tempi. */
    private static final List<Track> CATALOG = List.of(
            new Track("a-major-120-loud.wav", 120, 9, false, 0.99),
            new Track("a-major-120-quiet.wav", 120, 9, false, 0.1),
            new Track("c-major-100.wav", 100, 0, false, 0.5),
            new Track("a-minor-90.wav", 90, 9, true, 0.7),
            new Track("e-minor-140.wav", 140, 4, true, 0.3),
            new Track("f-sharp-major-128.wav", 128, 6, false, 0.8),
            new Track("d-minor-80.wav", 80, 2, true, 0.4));
    /** A sustained A major triad under loud clicks: a high peak for its loudness, so it passes ceilings when turned up. */
    private static final String DYNAMIC = "a-major-120-dynamic.wav";
    private static final int RECORDINGS = CATALOG.size() + 1;

    @TempDir
    static Path tmp;
    static Stack stack;
    static String key;
    static Map<String, ExecutedNotebook> executed = new HashMap<>();

    @BeforeAll
    static void runNotebooksAgainstAnAnalyzedCatalog() throws Exception {
        Jupyter.require(tmp.resolve("probe"));
        LocalStack shared = LocalStack.shared();
        String jdbcUrl = shared.postgres().createDatabase("notebooks_" + UUID.randomUUID().toString().substring(0, 8));
        Path dataDir = tmp.resolve("data");
        long t0 = System.nanoTime();
        stack = Stack.start(StackConfig.derived(dataDir, 0).withJdbc(jdbcUrl, PostgresServer.SUPERUSER, null)
                .withKafka(shared.kafka().bootstrapServers()).withElasticsearch(shared.elasticsearch().httpUrl()),
                Stack.Listener.NONE);
        System.out.printf("stack up in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        Run keys = tonearm("keys", "create", "--account", "label-notebooks", "--plan", "pro", "--data-dir", dataDir.toString());
        assertThat(keys.exit()).as(keys.err()).isZero();
        key = keys.out().strip();

        Path catalog = Files.createDirectories(tmp.resolve("catalog"));
        for (Track t : CATALOG) {
            TestAudio.music(catalog.resolve(t.file()), t.bpm(), t.tonic(), t.minor(), t.peak(), 16 * 60 / t.bpm());
        }
        TestAudio.music120InAMajor(catalog.resolve(DYNAMIC), 8);
        t0 = System.nanoTime();
        Run ingest = tonearm("ingest", catalog.toString(), "--api", stack.apiUrl(), "--key", key, "--wait",
                "--concurrency", "2", "--state", tmp.resolve("ingest-state.jsonl").toString());
        assertThat(ingest.exit()).as(ingest.out() + ingest.err()).isZero();
        awaitSearchDocuments(Duration.ofMinutes(2));
        System.out.printf("%d recordings uploaded, analyzed and indexed in %.1f s%n", RECORDINGS, (System.nanoTime() - t0) / 1e9);

        Path out = Files.createDirectories(tmp.resolve("executed"));
        List<Path> notebooks = Notebooks.all();
        t0 = System.nanoTime();
        Jupyter.Run run = Jupyter.execute(notebooks, out, env(key));
        System.out.printf("%d notebooks executed in %.1f s%n", notebooks.size(), (System.nanoTime() - t0) / 1e9);
        assertThat(run.exit()).as(run.output()).isZero();
        for (Path notebook : notebooks) {
            ExecutedNotebook e = ExecutedNotebook.read(out.resolve(notebook.getFileName()));
            assertThat(e.errors()).as(notebook.toString()).isEmpty();
            executed.put(notebook.getFileName().toString(), e);
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void distributionsCountEveryRecordingAndKey() {
        ExecutedNotebook nb = executed.get("01-distributions.ipynb");
        assertThat(nb.text()).contains(RECORDINGS + " assets: " + RECORDINGS + " with a tempo, " + RECORDINGS
                + " with a key, " + RECORDINGS + " with a loudness");
        String keys = nb.table("key mode").orElseThrow(() -> new AssertionError(nb.text()));
        assertThat(keys).containsPattern("(?m)^A\\s+major\\s+3$").containsPattern("(?m)^F#\\s+major\\s+1$")
                .containsPattern("(?m)^D\\s+minor\\s+1$");
        assertThat(nb.images()).isEqualTo(3);
    }

    @Test
    void camelotViewHasEveryCodeOfTheCatalog() {
        ExecutedNotebook nb = executed.get("02-camelot-wheel.ipynb");
        assertThat(nb.text()).contains(RECORDINGS + " of " + RECORDINGS
                + " recordings have a key; the mapping agrees with the API's key_camelot for all");
        String codes = nb.table("camelot").orElseThrow(() -> new AssertionError(nb.text()));
        for (String row : List.of("11B A major 3", "8B C major 1", "8A A minor 1", "9A E minor 1", "2B F# major 1",
                "7A D minor 1")) {
            String[] p = row.split(" ");
            assertThat(codes).containsPattern("(?m)^" + Pattern.quote(p[0]) + "\\s+" + Pattern.quote(p[1]) + " "
                    + p[2] + "\\s+" + p[3] + "$");
        }
        assertThat(codes.lines().filter(l -> l.matches("^\\d+[AB]\\s.*"))).hasSize(6);
        assertThat(nb.images()).isEqualTo(1);
    }

    @Test
    void complianceGainsFollowEachRecordingsMeasuredLoudness() throws Exception {
        ExecutedNotebook nb = executed.get("03-loudness-compliance.ipynb");
        String gains = nb.table("gain_db").orElseThrow(() -> new AssertionError(nb.text()));
        String peaks = nb.table("peak_after_dbtp").orElseThrow(() -> new AssertionError(nb.text()));
        Map<String, JsonNode> measured = loudnessByFilename();
        assertThat(measured).hasSize(RECORDINGS);
        int over = 0;
        for (Map.Entry<String, JsonNode> m : measured.entrySet()) {
            double lufs = m.getValue().path("integrated_lufs").asDouble();
            double truePeak = m.getValue().path("true_peak_dbtp").asDouble();
            // columns: integrated_lufs true_peak_dbtp spotify apple_music youtube amazon_music ebu_r128 aes_streaming
            double[] row = numbers(gains, m.getKey(), 8);
            assertThat(row[0]).as(m.getKey()).isCloseTo(lufs, within(0.051));
            assertThat(row[2]).as("Spotify gain of %s", m.getKey()).isCloseTo(-14 - lufs, within(0.051));
            assertThat(row[3]).as("Apple Music gain of %s", m.getKey()).isCloseTo(-16 - lufs, within(0.051));
            assertThat(row[6]).as("EBU R128 gain of %s", m.getKey()).isCloseTo(-23 - lufs, within(0.051));
            // Spotify's ceiling is -1 dBTP, Amazon Music's -2: a '*' marks a peak past it after the gain
            Matcher peak = row(peaks, m.getKey());
            String[] cells = peak.group(1).trim().split("\\s+(?!\\*)");
            boolean spotifyOver = truePeak + (-14 - lufs) > -1;
            assertThat(cells[0].endsWith("*")).as("Spotify ceiling of %s: %s", m.getKey(), peak.group()).isEqualTo(spotifyOver);
            assertThat(cells[3].endsWith("*")).as("Amazon ceiling of %s: %s", m.getKey(), peak.group())
                    .isEqualTo(truePeak + (-14 - lufs) > -2);
            over += spotifyOver ? 1 : 0;
        }
        assertThat(row(peaks, DYNAMIC).group(1)).as("the dynamic recording passes Spotify's ceiling").contains("*");
        assertThat(over).as("recordings over Spotify's ceiling").isBetween(1, RECORDINGS - 1);
        assertThat(measured.get("a-major-120-loud.wav").path("integrated_lufs").asDouble()
                - measured.get("a-major-120-quiet.wav").path("integrated_lufs").asDouble())
                .as("peak 0.99 against 0.1 is 19.9 dB").isCloseTo(19.9, within(0.2));
        assertThat(nb.images()).isEqualTo(1);
    }

    @Test
    void similarSearchRanksTheSamePieceAtAnotherLevelFirst() {
        ExecutedNotebook nb = executed.get("04-similar-tracks.ipynb");
        assertThat(nb.text()).contains("seed: a-major-120-loud.wav");
        String similar = nb.table("rank").orElseThrow(() -> new AssertionError(nb.text()));
        assertThat(similar).containsPattern("(?m)^1\\s+a-major-120-quiet\\.wav\\s")
                .containsPattern("(?m)^2\\s+a-major-120-dynamic\\.wav\\s");
        assertThat(similar.lines().filter(l -> l.matches("^\\d+\\s.*"))).hasSize(RECORDINGS - 1);
        assertThat(nb.text()).contains("2 recordings mix into a-major-120-loud.wav (11B,");
        assertThat(nb.images()).isEqualTo(1);
    }

    @Test
    void aWrongKeyStopsANotebookWithTheApisAnswer() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("executed-wrong-key"));
        Jupyter.Run run = Jupyter.execute(List.of(Notebooks.dir().resolve("01-distributions.ipynb")), out,
                env("tnk_00000000_not-a-key"));
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).containsPattern("ApiError: GET /v1/\\w+ answered 401: unauthorized");
    }

    // ---- helpers

    /** What the notebooks read, plus a headless matplotlib and no byte code written into the source tree. */
    private static Map<String, String> env(String apiKey) {
        return Map.of("TONEARM_API", stack.apiUrl(), "TONEARM_KEY", apiKey, "MPLBACKEND", "Agg",
                "TONEARM_SIMILAR_TO", "a-major-120-loud.wav", "PYTHONDONTWRITEBYTECODE", "1",
                "PYDEVD_DISABLE_FILE_VALIDATION", "1"); // ipykernel's debugger warns about frozen modules otherwise
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run tonearm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new Tonearm()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Waits until every recording's search document has its tempo, key, loudness and chords (similarity uses all four). */
    private static void awaitSearchDocuments(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode items = null;
        while (System.nanoTime() < deadline) {
            items = get("/v1/search?page_limit=50").path("items");
            long complete = 0;
            for (JsonNode item : items) {
                if (!item.path("tempo").isNull() && !item.path("key").isNull() && !item.path("integrated_lufs").isNull()
                        && item.path("chords").size() > 0) {
                    complete++;
                }
            }
            if (complete == RECORDINGS) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("search documents incomplete after " + timeout + ": " + items);
    }

    /** The API's loudness results by file name, read independently of the notebooks' client. */
    private static Map<String, JsonNode> loudnessByFilename() throws Exception {
        Map<String, String> names = new HashMap<>();
        get("/v1/assets?page_limit=50").path("items").forEach(a -> names.put(a.path("asset_id").asText(), a.path("filename").asText()));
        Map<String, JsonNode> byName = new HashMap<>();
        get("/v1/jobs?status=succeeded&kind=lufs&limit=100").path("items")
                .forEach(j -> byName.put(names.get(j.path("asset_id").asText()), j.path("result")));
        return byName;
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** A table's row for {@code name}: group 1 is everything after the name. */
    private static Matcher row(String table, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(.*)$").matcher(table);
        assertThat(m.find()).as("row %s in%n%s", name, table).isTrue();
        return m;
    }

    private static double[] numbers(String table, String name, int count) {
        String[] cells = row(table, name).group(1).trim().split("\\s+");
        assertThat(cells).as("row %s", name).hasSize(count);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = Double.parseDouble(cells[i]);
        }
        return values;
    }
}
