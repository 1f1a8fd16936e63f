package io.tonearm.api.processing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.registry.UnknownModelException;
import io.tonearm.api.ApiHarness;
import io.tonearm.api.PipelineStandIn;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.events.AnalysisRequested;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The processing endpoints against a real API and PostgreSQL; the analyses are real (analysis module runner),
 * written by {@link PipelineStandIn} through the pipeline's sink statements.
 */
class ProcessingApiTest {

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static PipelineStandIn pipeline;
    static final AnalyzerRegistry REGISTRY = StandardAnalyzers.registry();
    static int seed = 100;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dataDir, c -> c);
        pipeline = new PipelineStandIn(api.db);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /** Each endpoint with asset_id, file_id and raw bytes: 202 job, then its result, then 200 from the stored result. */
    @Test
    void everyEndpointTakesAnAssetIdAFileIdOrRawBytes() throws Exception {
        String key = api.newKey(Plan.PRO);
        for (Process p : Processes.ANALYSES) {
            boolean installed = p.analyzers().stream().allMatch(ProcessingApiTest::installed);
            for (String input : List.of("asset_id", "file_id", "raw")) {
                byte[] wav = ApiHarness.wav(seed++, 1.0);
                HttpResponse<String> r = submit(p.path(), key, input, wav, "respond-async", null);
                if (!installed) {
                    assertThat(r.statusCode()).as(p.path() + " " + r.body()).isEqualTo(501);
                    assertThat(json(r).at("/error/code").asText()).isEqualTo("model_unavailable");
                    continue;
                }
                assertThat(r.statusCode()).as(p.path() + " via " + input + ": " + r.body()).isEqualTo(202);
                String jobId = json(r).get("job_id").asText();
                assertThat(json(r).get("status").asText()).isEqualTo("queued");
                assertThat(r.headers().firstValue("Location")).hasValue("/v1/jobs/" + jobId);

                List<AnalysisRequested> requests = pipeline.newRequests();
                assertThat(requests).hasSize(1);
                AnalysisRequested req = requests.get(0);
                assertThat(req.requestId().toString()).isEqualTo(jobId);
                assertThat(req.analyzers()).extracting(AnalysisRequested.AnalyzerRequest::name).containsExactlyElementsOf(p.analyzers());
                pipeline.complete(req);

                JsonNode job = json(api.get("/v1/jobs/" + jobId, key));
                assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
                assertThat(job.get("kind").asText()).isEqualTo(p.kind());

                HttpResponse<String> again = submit(p.path(), key, "asset_id", wav, null, null);
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                assertThat(pipeline.newRequests()).as("answered from stored results, no pipeline work").isEmpty();
                JsonNode body = json(again);
                assertThat(body.get("asset_id").asText()).isEqualTo(req.assetId().toString());
                assertThat(body.get("asset_expires_at").asText()).isNotBlank();
                assertThat(body.get("model_version").asText()).isNotBlank();
                assertThat(body.get("model_name").asText()).isEqualTo(String.join(",", p.analyzers().stream()
                        .map(a -> REGISTRY.select(a, java.util.Map.of()).analyzer().spec().name()).toList()));
                assertFields(p, body);
            }
        }
    }

    private static void assertFields(Process p, JsonNode body) {
        switch (p.kind()) {
            case "lufs" -> {
                // a mono sine of amplitude 8000/32767: mean square 0.0298 (-15.26 dB), -0.691 dB offset → -15.95 LUFS
                assertThat(body.get("integrated_lufs").asDouble()).isCloseTo(-15.95, within(0.5));
                assertThat(body.has("true_peak_dbtp")).isTrue();
            }
            case "pitch" -> assertThat(body.toString()).contains("median_hz");
            case "bpm" -> assertThat(body.has("tempo")).isTrue();
            case "key" -> assertThat(body.has("key") && body.has("mode")).isTrue();
            case "key-bpm" -> assertThat(body.has("key") && body.has("tempo") && body.get("models").size() == 2).isTrue();
            case "chords" -> assertThat(body.get("chords").isArray()).isTrue();
            case "beatgrid" -> assertThat(body.get("beats").isArray()).isTrue();
            default -> throw new AssertionError(p.kind());
        }
    }

    @Test
    void answersWithTheResultWhenTheJobFinishesWithinTheWait() throws Exception {
        assumeInstalled("loudness-ebur128");
        String key = api.newKey(Plan.PRO);
        pipeline.newRequests();
        AtomicBoolean done = new AtomicBoolean();
        Thread worker = pipeline.runInBackground(done::get);
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> r = submit("/v1/lufs", key, "raw", ApiHarness.wav(seed++, 1.0), null, null);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("integrated_lufs").asDouble()).isCloseTo(-15.95, within(0.5));
            assertThat(json(r).get("model_name").asText()).isEqualTo("loudness-ebur128");
            assertThat(seconds).as("woken by the job's NOTIFY, well within the 10 s wait").isLessThan(8);
        } finally {
            done.set(true);
            worker.join();
        }
    }

    @Test
    void answers202WithTheJobWhenTheWaitEndsFirst() {
        assumeInstalled("pitch");
        String key = api.newKey(Plan.PRO);
        long t0 = System.nanoTime();
        HttpResponse<String> r = submit("/v1/pitch", key, "raw", ApiHarness.wav(seed++, 0.5), "wait=1", null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(seconds).isBetween(0.9, 5.0);
        JsonNode job = json(api.get("/v1/jobs/" + json(r).get("job_id").asText(), key));
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("result").isNull()).isTrue();
        pipeline.newRequests();
    }

    @Test
    void aRequestForAProbedAssetCarriesTheProbeSoThePipelineDoesNotProbeTheBytesAgain() {
        assumeInstalled("pitch");
        String key = api.newKey(Plan.PRO);
        HttpResponse<String> r = submit("/v1/pitch", key, "asset_id", ApiHarness.wav(seed++, 0.5), "respond-async", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String job = json(r).get("job_id").asText();
        assertThat(api.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1' AND payload ->> 'request_id' = '"
                + job + "' AND payload -> 'probe' ->> 'container' = 'wav' AND payload -> 'probe' ->> 'codec' = 'pcm_s16le' "
                + "AND (payload -> 'probe' ->> 'sample_rate')::int = 8000 AND (payload -> 'probe' ->> 'channels')::int = 1 "
                + "AND (payload -> 'probe' ->> 'duration_seconds')::float8 = 0.5"))
                .as("the upload's probe (a small file: settled before the upload answered) travels with the request").isEqualTo(1);
        pipeline.newRequests();
    }

    @Test
    void aResultComputedForAnotherAccountAnswersAtOnceWithoutThePipeline() throws Exception {
        assumeInstalled("pitch");
        byte[] wav = ApiHarness.wav(seed++, 0.5);
        String first = api.newKey(Plan.PRO);
        pipeline.newRequests();
        HttpResponse<String> r1 = submit("/v1/pitch", first, "raw", wav, "respond-async", null);
        assertThat(r1.statusCode()).isEqualTo(202);
        pipeline.complete(pipeline.newRequests().get(0));
        long outbox = api.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1'");

        String second = api.newKey(Plan.BASIC);
        long t0 = System.nanoTime();
        HttpResponse<String> r2 = submit("/v1/pitch", second, "raw", wav, null, null);
        assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
        assertThat(api.count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1'")).isEqualTo(outbox);
        JsonNode body = json(r2);
        String firstAsset = json(api.get("/v1/jobs/" + json(r1).get("job_id").asText(), first)).get("asset_id").asText();
        assertThat(body.get("asset_id").asText()).as("the second account's own asset").isNotEqualTo(firstAsset);
        JsonNode job = json(api.get("/v1/jobs/" + body.get("job_id").asText(), second));
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("result").get("model_name").asText()).isEqualTo("pitch");
    }

    @Test
    void theSameIdempotencyKeyAndBodyGiveTheSameJobAndAnotherBodyIsAConflict() {
        assumeInstalled("pitch");
        String key = api.newKey(Plan.PRO);
        byte[] wav = ApiHarness.wav(seed++, 0.5);
        pipeline.newRequests();
        HttpResponse<String> a = submit("/v1/pitch", key, "raw", wav, "respond-async", "order-42");
        HttpResponse<String> b = submit("/v1/pitch", key, "asset_id", wav, "respond-async", "order-42");
        assertThat(a.statusCode()).as(a.body()).isEqualTo(202);
        assertThat(b.statusCode()).as(b.body()).isEqualTo(202);
        assertThat(json(b).get("job_id").asText()).isEqualTo(json(a).get("job_id").asText());
        assertThat(pipeline.newRequests()).as("one request reaches the pipeline").hasSize(1);

        HttpResponse<String> other = submit("/v1/pitch", key, "raw", ApiHarness.wav(seed++, 0.5), "respond-async", "order-42");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
        assertThat(json(other).at("/error/code").asText()).isEqualTo("idempotency_key_reused");
        HttpResponse<String> otherEndpoint = submit("/v1/lufs", key, "raw", wav, "respond-async", "order-42");
        assertThat(otherEndpoint.statusCode()).as(otherEndpoint.body()).isIn(409, 501);
        assertThat(pipeline.newRequests()).isEmpty();
    }

    @Test
    void aFailedJobIsA422WithItsReason() throws Exception {
        assumeInstalled("pitch");
        String key = api.newKey(Plan.PRO);
        pipeline.newRequests();
        byte[] wav = ApiHarness.wav(seed++, 0.5);
        HttpResponse<String> r = submit("/v1/pitch", key, "raw", wav, "respond-async", "fail-1");
        pipeline.fail(pipeline.newRequests().get(0), "undecodable recording (CORRUPT): test");
        JsonNode job = json(api.get("/v1/jobs/" + json(r).get("job_id").asText(), key));
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("error").asText()).contains("CORRUPT");
        HttpResponse<String> replay = submit("/v1/pitch", key, "raw", wav, null, "fail-1");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(422);
        assertThat(json(replay).at("/error/code").asText()).isEqualTo("analysis_failed");
        assertThat(json(replay).at("/error/message").asText()).contains("CORRUPT");

        HttpResponse<String> junk = api.send(api.request("/v1/pitch", key).header("Content-Type", "audio/wav")
                .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build());
        assertThat(junk.statusCode()).as(junk.body()).isEqualTo(422);
        assertThat(pipeline.newRequests()).as("nothing queued for an undecodable asset").isEmpty();
    }

    @Test
    void inputsAreCheckedAndOtherAccountsAssetsAreNotFound() {
        String key = api.newKey(Plan.PRO);
        String other = api.newKey(Plan.PRO);
        String assetId = json(api.upload(other, ApiHarness.wav(seed++, 0.5), "audio/wav", null)).get("asset_id").asText();
        assertThat(postJson("/v1/pitch", key, "{\"asset_id\":\"" + assetId + "\"}").statusCode()).isEqualTo(404);
        assertThat(postJson("/v1/pitch", key, "{}").statusCode()).isEqualTo(400);
        assertThat(postJson("/v1/pitch", key, "{\"asset_id\":\"" + assetId + "\",\"file_id\":\"f\"}").statusCode()).isEqualTo(400);
        assertThat(postJson("/v1/pitch", key, "{\"file_id\":\"nope\"}").statusCode()).isEqualTo(404);
        JsonNode presigned = json(api.send(api.request("/v1/files", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file_name\":\"a.wav\",\"content_type\":\"audio/wav\","
                        + "\"file_size\":100,\"purpose\":\"analysis\"}")).build()));
        HttpResponse<String> early = postJson("/v1/pitch", key, "{\"file_id\":\"" + presigned.get("file_id").asText() + "\"}");
        assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
        assertThat(json(early).at("/error/code").asText()).isEqualTo("file_not_uploaded");
        HttpResponse<String> text = api.send(api.request("/v1/pitch", key).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build());
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(postJson("/v1/pitch", null, "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void everyEndpointOfTheDesignIsServedAndTheLongOnesQueueAJobAt202() {
        String key = api.newKey(Plan.PRO);
        HttpResponse<String> up = api.upload(key, ApiHarness.wav(4242, 1.0), "audio/wav", "all.wav");
        String assetId = json(up).get("asset_id").asText();
        for (String kind : List.of("segment-transcribe", "analyze/upload")) {
            long jobs = api.count("SELECT count(*) FROM jobs");
            HttpResponse<String> r = postJson("/v1/" + kind, key, "{\"asset_id\":\"" + assetId + "\"}");
            assertThat(r.statusCode()).as(kind + ": " + r.body()).isEqualTo(202);
            assertThat(json(r).get("kind").asText()).isEqualTo(kind);
            assertThat(api.count("SELECT count(*) FROM jobs")).isEqualTo(jobs + 1);
        }
        long withAll = api.count("SELECT count(*) FROM jobs WHERE kind = 'analyze/upload' AND asset_id = '" + assetId + "'"
                + " AND requested_analyzers::text LIKE ALL (ARRAY['%\"bpm\"%', '%\"key\"%', '%\"loudness-ebur128\"%',"
                + " '%\"chords\"%', '%\"beatgrid\"%', '%\"sections\"%', '%\"vocal-activity\"%'])");
        assertThat(withAll).as("one job asks for everything").isEqualTo(1);
        assertThat(postJson("/v1/nothing-like-this", key, "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void analyzeUploadWithoutTheVoiceModelGivesEverythingElseAndReportsVocalActivityAsFailed(@TempDir Path models) throws Exception {
        String key = api.newKey(Plan.PRO);
        String assetId = json(api.upload(key, ApiHarness.wav(seed++, 6.0), "audio/wav", "song.wav")).get("asset_id").asText();
        // a pipeline whose models directory lacks silero-vad/silero_vad.onnx
        PipelineStandIn withoutSilero = new PipelineStandIn(api.db, io.tonearm.analysis.output.OutputStore.NONE,
                StandardAnalyzers.registry(new ModelStore(java.nio.file.Files.createDirectories(models.resolve("models")))));
        withoutSilero.newRequests();
        pipeline.newRequests();

        HttpResponse<String> r = postJson("/v1/analyze/upload", key, "{\"asset_id\":\"" + assetId + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        List<AnalysisRequested> requests = withoutSilero.newRequests();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).analyzers()).filteredOn(AnalysisRequested.AnalyzerRequest::optional)
                .extracting(AnalysisRequested.AnalyzerRequest::name).containsExactly("vocal-activity");
        withoutSilero.complete(requests.get(0));

        JsonNode job = json(api.get("/v1/jobs/" + json(r).get("job_id").asText(), key));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        JsonNode result = job.get("result");
        for (String field : List.of("tempo", "beats", "key", "integrated_lufs", "chords", "sections")) {
            assertThat(result.has(field)).as(field + " in " + result).isTrue();
        }
        assertThat(result.has("regions")).as("no vocal activity fields").isFalse();
        assertThat(result.at("/failures/vocal-activity/code").asText()).isEqualTo("analyzer_failed");
        assertThat(result.at("/failures/vocal-activity/message").asText())
                .contains(models.resolve("models").resolve("silero-vad").resolve("silero_vad.onnx").toString()).contains("is missing");
        assertThat(result.get("models").has("vocal-activity")).isFalse();
        assertThat(result.get("models").size()).isEqualTo(6);
        assertThat(result.get("model_name").asText()).isEqualTo("bpm,beatgrid,key,loudness-ebur128,chords,sections");
    }

    // ---- helpers

    static boolean installed(String analyzer) {
        try {
            REGISTRY.select(analyzer, java.util.Map.of());
            return true;
        } catch (UnknownModelException e) {
            return false;
        }
    }

    static void assumeInstalled(String analyzer) {
        org.junit.jupiter.api.Assumptions.assumeTrue(installed(analyzer), analyzer + " is not in this build's registry");
    }

    /** Sends {@code wav} to {@code path} as an asset id, a presigned file id, or raw bytes. */
    static HttpResponse<String> submit(String path, String key, String input, byte[] wav, String prefer, String idempotencyKey) {
        HttpRequest.Builder b;
        switch (input) {
            case "raw" -> b = api.request(path + "?filename=t.wav", key).header("Content-Type", "audio/wav")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(wav));
            case "asset_id" -> {
                String id = json(api.upload(key, wav, "audio/wav", null)).get("asset_id").asText();
                b = jsonRequest(path, key, "{\"asset_id\":\"" + id + "\"}");
            }
            case "file_id" -> {
                JsonNode presigned = json(api.send(api.request("/v1/files", key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"file_name\":\"f.wav\",\"content_type\":\"audio/wav\","
                                + "\"file_size\":" + wav.length + ",\"purpose\":\"analysis\"}")).build()));
                HttpResponse<String> put = api.send(HttpRequest.newBuilder(URI.create(presigned.get("upload_url").asText()))
                        .header("Content-Type", "audio/wav").PUT(HttpRequest.BodyPublishers.ofByteArray(wav)).build());
                assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
                b = jsonRequest(path, key, "{\"file_id\":\"" + presigned.get("file_id").asText() + "\"}");
            }
            default -> throw new IllegalArgumentException(input);
        }
        if (prefer != null) {
            b.header("Prefer", prefer);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return api.send(b.build());
    }

    static HttpResponse<String> postJson(String path, String key, String body) {
        return api.send(jsonRequest(path, key, body).header("Prefer", "respond-async").build());
    }

    private static HttpRequest.Builder jsonRequest(String path, String key, String body) {
        return api.request(path, key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
