package io.tonearm.api.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.models.ModelStore;
import io.tonearm.analysis.registry.AnalyzerRegistry;
import io.tonearm.analysis.separation.SeparationAnalyzer;
import io.tonearm.analysis.testing.TinySeparationModel;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.blobs.BlobOutputStore;
import io.tonearm.api.PipelineStandIn;
import io.tonearm.api.accounts.Plan;
import io.tonearm.api.files.SigningKeys;
import io.tonearm.events.AnalysisRequested;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long jobs' outputs through the API: the endpoints answer 202, the stand-in pipeline runs the real separation and
 * mastering with their files in the API's blob store, {@code GET /v1/jobs/{id}} lists the outputs with signed links,
 * and the download route serves them (ranges too) and refuses tampered, expired, foreign and past-retention links.
 */
class JobOutputsApiTest {

    private static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static PipelineStandIn pipeline;
    static FileSystemBlobStore blobs;
    static DownloadLinks links = new DownloadLinks(SigningKeys.parse("k1:" + SECRET));
    static final HttpClient http = HttpClient.newHttpClient();
    static int seed = 700;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dataDir, c -> c.withSigningKeys("k1:" + SECRET));
        blobs = new FileSystemBlobStore(dataDir.resolve("blobs"));
        pipeline = new PipelineStandIn(api.db, new BlobOutputStore(blobs));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void aSeparationJobListsItsStemsWithSignedLinksThatDownloadTheBlobBytes() throws Exception {
        String key = api.newKey(Plan.PRO);
        String jobId = runJob("/v1/separate/2stem", key, "{}");
        JsonNode job = json(api.get("/v1/jobs/" + jobId, key));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/result/stems/vocals/sha256").asText()).hasSize(64);
        assertThat(job.at("/result/stems/vocals").has("location")).as("no server paths in answers").isFalse();
        JsonNode outputs = job.get("outputs");
        assertThat(outputs).hasSize(2);
        for (JsonNode o : outputs) {
            assertThat(o.get("name").asText()).isIn("vocals.wav", "instrumental.wav");
            assertThat(o.get("media_type").asText()).isEqualTo("audio/wav");
            Instant expires = Instant.parse(o.get("expires_at").asText());
            assertThat(expires).isBetween(Instant.now().plusSeconds(3000), Instant.now().plusSeconds(3700));
            assertThat(Instant.parse(o.get("retained_until").asText())).isAfter(Instant.now().plusSeconds(6 * 86400));
            HttpResponse<byte[]> d = download(o.get("url").asText(), null, null);
            assertThat(d.statusCode()).isEqualTo(200);
            byte[] stored = Files.readAllBytes(blobs.localFile(o.get("sha256").asText()));
            assertThat(d.body()).isEqualTo(stored);
            assertThat(d.body().length).isEqualTo(o.get("size_bytes").asInt());
            assertThat(d.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("audio/wav"));
            assertThat(d.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + o.get("name").asText() + "\"");
            HttpResponse<byte[]> part = download(o.get("url").asText(), null, "bytes=4-103");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(stored, 4, 104));
            assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 4-103/" + stored.length);
            HttpResponse<byte[]> tail = download(o.get("url").asText(), null, "bytes=-10");
            assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(stored, stored.length - 10, stored.length));
            assertThat(download(o.get("url").asText(), null, "bytes=" + stored.length + "-").statusCode()).isEqualTo(416);
        }
    }

    @Test
    void downloadLinksRefuseTamperingExpiryOtherAccountsOtherJobsAndEndedRetention() throws Exception {
        String key = api.newKey(Plan.PRO);
        String jobId = runJob("/v1/separate/2stem", key, "{}");
        JsonNode vocals = output(json(api.get("/v1/jobs/" + jobId, key)), "vocals.wav");
        String url = vocals.get("url").asText();
        UUID account = UUID.fromString(URI.create(url).getQuery().replaceAll(".*account=([^&]+).*", "$1"));

        String tampered = url.substring(0, url.length() - 2) + (url.endsWith("AA") ? "BB" : "AA");
        assertThat(status(download(tampered, null, null))).isEqualTo("403 invalid_signature");
        assertThat(status(download(url.replace("vocals.wav", "instrumental.wav"), null, null))).isEqualTo("403 invalid_signature");
        assertThat(status(download(url.replaceAll("expires=\\d+", "expires=9999999999"), null, null))).isEqualTo("403 invalid_signature");
        String base = url.substring(0, url.indexOf("/outputs/"));
        String expired = links.sign(base, account, UUID.fromString(jobId), "vocals.wav", Instant.now().minusSeconds(5));
        assertThat(status(download(expired, null, null))).isEqualTo("403 link_expired");

        String other = api.newKey(Plan.PRO);
        assertThat(api.get("/v1/jobs/" + jobId, other).statusCode()).isEqualTo(404);
        assertThat(status(download(url, other, null))).isEqualTo("404 not_found");
        assertThat(download(url, key, null).statusCode()).as("the owner's own key is fine").isEqualTo(200);
        String unknownJob = links.sign(base, account, UUID.randomUUID(), "vocals.wav", Instant.now().plusSeconds(60));
        assertThat(status(download(unknownJob, null, null))).isEqualTo("404 not_found");
        String otherJobOfTheAccount = runJob("/v1/master", key, "{}");
        String notItsOutput = links.sign(base, account, UUID.fromString(otherJobOfTheAccount), "vocals.wav", Instant.now().plusSeconds(60));
        assertThat(status(download(notItsOutput, null, null))).isEqualTo("404 not_found");
        assertThat(status(download(base + "/outputs/not-a-job/vocals.wav?" + URI.create(url).getRawQuery(), null, null)))
                .isEqualTo("404 not_found");

        // within retention the reaper keeps the outputs; once it has ended they are 410 and their blobs are freed
        api.server.runHousekeeping();
        assertThat(blobs.exists(vocals.get("sha256").asText())).isTrue();
        api.db.withConnection(c -> c.createStatement().executeUpdate(
                "UPDATE jobs SET finished_at = now() - interval '8 days' WHERE id = '" + jobId + "'"));
        JsonNode expiredJob = json(api.get("/v1/jobs/" + jobId, key));
        assertThat(output(expiredJob, "vocals.wav").get("url").isNull()).isTrue();
        assertThat(status(download(url, null, null))).isEqualTo("410 output_expired");
        api.server.runHousekeeping();
        assertThat(blobs.exists(vocals.get("sha256").asText())).as("reaped after retention").isFalse();
    }

    @Test
    void masterTakesItsParametersAndRejectsBadOnes() throws Exception {
        String key = api.newKey(Plan.PRO);
        pipeline.newRequests();
        HttpResponse<String> bad = api.send(api.request("/v1/master", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + asset(key) + "\",\"target_lufs\":3}")).build());
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(json(bad).at("/error/code").asText()).isEqualTo("invalid_parameter");
        HttpResponse<String> wrongType = api.send(api.request("/v1/master", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + asset(key) + "\",\"target_lufs\":[1]}")).build());
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
        HttpResponse<String> text = api.send(api.request("/v1/master", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + asset(key) + "\",\"true_peak_ceiling\":\"-1\"}")).build());
        assertThat(text.statusCode()).as(text.body()).isEqualTo(400);
        assertThat(pipeline.newRequests()).as("nothing queued for bad parameters").isEmpty();

        String jobId = runJob("/v1/master", key, "{\"target_lufs\":-16,\"true_peak_ceiling\":-2}");
        JsonNode job = json(api.get("/v1/jobs/" + jobId, key));
        assertThat(job.at("/result/target_lufs").asDouble()).isEqualTo(-16.0);
        assertThat(job.at("/result/ceiling_dbtp").asDouble()).isEqualTo(-2.0);
        assertThat(job.at("/result/after/integrated_lufs").isNumber()).as(job.toString()).isTrue();
        assertThat(job.get("kind").asText()).isEqualTo("master");
        assertThat(output(job, "master.wav").get("url").asText()).contains("/outputs/" + jobId + "/master.wav?");
    }

    @Test
    void masterBalancesTowardAReferenceAssetOfTheCallersAndOnlyTheirs() throws Exception {
        String key = api.newKey(Plan.PRO);
        String reference = asset(key);
        String foreign = asset(api.newKey(Plan.PRO));
        pipeline.newRequests();
        for (String id : List.of(foreign, UUID.randomUUID().toString(), "not-an-id")) {
            HttpResponse<String> r = api.send(api.request("/v1/master", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + asset(key) + "\",\"reference_asset_id\":\"" + id + "\"}")).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("not_found");
        }
        HttpResponse<String> wrongType = api.send(api.request("/v1/master", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + asset(key) + "\",\"reference_asset_id\":7}")).build());
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
        HttpResponse<String> raw = api.send(api.request("/v1/master?reference_asset_id=" + foreign, key)
                .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(seed++, 1.0))).build());
        assertThat(raw.statusCode()).as("raw audio with a query parameter: " + raw.body()).isEqualTo(404);
        assertThat(pipeline.newRequests()).as("nothing queued for a reference the caller does not own").isEmpty();

        String jobId = runJob("/v1/master", key, "{\"reference_asset_id\":\"" + reference + "\"}");
        JsonNode job = json(api.get("/v1/jobs/" + jobId, key));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        String referenceSha = json(api.get("/v1/assets/" + reference, key)).get("sha256").asText();
        assertThat(job.at("/result/tonal_balance/reference").asText()).isEqualTo(referenceSha);
        assertThat(job.at("/result/tonal_balance/bands").size()).isGreaterThan(20);
        assertThat(job.at("/result/tonal_balance/distance_after_db").asDouble())
                .isLessThanOrEqualTo(job.at("/result/tonal_balance/distance_before_db").asDouble());
        assertThat(job.toString()).doesNotContain("reference_path");
        assertThat(output(job, "master.wav").get("url").asText()).isNotBlank();
    }

    @Test
    void promptsMapToStemsAndAnUnknownPromptIsA422ListingWhatIsUnderstood() throws Exception {
        String key = api.newKey(Plan.PRO);
        String assetId = asset(key);
        pipeline.newRequests();
        HttpResponse<String> unknown = queue(key, "{\"input\":{\"asset_id\":\"" + assetId + "\",\"prompt\":\"make it sound like a cathedral\"}}", null);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("unknown_prompt");
        assertThat(json(unknown).at("/error/message").asText()).contains("vocals", "instrumental", "drums", "bass", "other");
        assertThat(queue(key, "{\"input\":{\"asset_id\":\"" + assetId + "\"}}", null).statusCode()).isEqualTo(400);
        assertThat(queue(key, "{\"asset_id\":\"" + assetId + "\",\"prompt\":\"vocals\"}", null).statusCode()).isEqualTo(400);
        assertThat(queue(key, "{\"input\":{\"asset_id\":\"" + UUID.randomUUID() + "\",\"prompt\":\"vocals\"}}", null).statusCode())
                .isEqualTo(404);
        assertThat(pipeline.newRequests()).isEmpty();

        HttpResponse<String> drums = queue(key, "{\"input\":{\"asset_id\":\"" + assetId + "\",\"prompt\":\"just the beat\"}}", null);
        assertThat(drums.statusCode()).as(drums.body()).isEqualTo(202);
        assertThat(json(drums).get("kind").asText()).isEqualTo("separate/4stem");

        String body = "{\"input\":{\"asset_id\":\"" + assetId + "\",\"prompt\":\"Isolate the lead vocal\"}}";
        HttpResponse<String> vocal = queue(key, body, "prompt-1");
        HttpResponse<String> again = queue(key, body, "prompt-1");
        assertThat(vocal.statusCode()).as(vocal.body()).isEqualTo(202);
        assertThat(json(vocal).get("kind").asText()).isEqualTo("separate/2stem");
        assertThat(json(again).get("job_id").asText()).isEqualTo(json(vocal).get("job_id").asText());
        List<AnalysisRequested> requests = pipeline.newRequests();
        assertThat(requests).hasSize(2);
        for (AnalysisRequested r : requests) pipeline.complete(r);
        JsonNode job = json(api.get("/v1/jobs/" + json(vocal).get("job_id").asText(), key));
        assertThat(job.at("/result/prompt").asText()).isEqualTo("Isolate the lead vocal");
        assertThat(job.at("/result/prompt_stems").toString()).isEqualTo("[\"vocals\"]");
        assertThat(job.at("/result/prompt_outputs").toString()).isEqualTo("[\"vocals.wav\"]");
        assertThat(output(job, "vocals.wav").get("url").asText()).isNotBlank();
    }

    @Test
    void separationTakesItsMethodAndMethodOnnxRunsTheOperatorsNetwork(@TempDir Path models) throws Exception {
        String key = api.newKey(Plan.PRO);
        pipeline.newRequests();
        for (String bad : List.of("\"magic\"", "5", "[\"onnx\"]")) {
            HttpResponse<String> r = api.send(api.request("/v1/separate/4stem", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + asset(key) + "\",\"method\":" + bad + "}")).build());
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("invalid_parameter");
        }
        HttpResponse<String> raw = api.send(api.request("/v1/separate/2stem?method=magic", key).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ApiHarness.wav(seed++, 1.0))).build());
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(400);
        assertThat(json(raw).at("/error/message").asText()).contains("method must be one of [dsp, onnx]");
        assertThat(pipeline.newRequests()).as("nothing queued for a bad method").isEmpty();

        // the pipeline runs the separation with the operator's models directory: here the tiny test network
        ModelStore installed = new ModelStore(TinySeparationModel.install(models.resolve("installed")));
        PipelineStandIn withModel = new PipelineStandIn(api.db, new BlobOutputStore(blobs),
                new AnalyzerRegistry().register(SeparationAnalyzer.fourStems(installed)));
        withModel.newRequests();
        String jobId = runJob("/v1/separate/4stem", key, "{\"method\":\"onnx\"}", withModel);
        JsonNode job = json(api.get("/v1/jobs/" + jobId, key));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/result/method").asText()).isEqualTo("onnx");
        assertThat(job.at("/result/model/name").asText()).isEqualTo("tiny-filters");
        assertThat(job.get("outputs")).extracting(o -> o.get("name").asText())
                .containsExactlyInAnyOrder("drums.wav", "bass.wav", "vocals.wav", "other.wav");

        // without the network the job fails with the reason, naming the file it needs
        PipelineStandIn without = new PipelineStandIn(api.db, new BlobOutputStore(blobs),
                new AnalyzerRegistry().register(SeparationAnalyzer.twoStems(new ModelStore(Files.createDirectories(models.resolve("none"))))));
        without.newRequests();
        String failed = runJob("/v1/separate/2stem", key, "{\"method\":\"onnx\"}", without);
        JsonNode failedJob = json(api.get("/v1/jobs/" + failed, key));
        assertThat(failedJob.get("status").asText()).isEqualTo("failed");
        assertThat(failedJob.get("error").asText()).contains("separation/separation.onnx").contains("is missing");
        pipeline.newRequests();
    }

    /** Submits to a long-job endpoint with a fresh raw upload plus {@code extra} fields, completes it, returns the job id. */
    private static String runJob(String path, String key, String extra) throws Exception {
        return runJob(path, key, extra, pipeline);
    }

    /** As {@link #runJob(String, String, String)}, completed by {@code pipeline}; checks the request carries the fields. */
    private static String runJob(String path, String key, String extra, PipelineStandIn pipeline) throws Exception {
        pipeline.newRequests();
        String assetId = asset(key);
        String body = "{\"asset_id\":\"" + assetId + "\"" + (extra.equals("{}") ? "}" : "," + extra.substring(1));
        HttpResponse<String> r = api.send(api.request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String jobId = json(r).get("job_id").asText();
        List<AnalysisRequested> requests = pipeline.newRequests();
        assertThat(requests).hasSize(1);
        if (extra.contains("\"method\"")) {
            assertThat(requests.get(0).analyzers().get(0).params())
                    .containsEntry("method", io.tonearm.api.http.Json.mapper().readTree(extra).get("method").asText());
        }
        pipeline.complete(requests.get(0));
        return jobId;
    }

    private static String asset(String key) {
        HttpResponse<String> up = api.upload(key, ApiHarness.wav(seed++, 1.0), "audio/wav", "take.wav");
        assertThat(up.statusCode()).as(up.body()).isIn(200, 201);
        return json(up).get("asset_id").asText();
    }

    private static HttpResponse<String> queue(String key, String body, String idempotencyKey) {
        HttpRequest.Builder b = api.request("/v1/queue/audio/separate", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
        return api.send(b.build());
    }

    private static JsonNode output(JsonNode job, String name) {
        for (JsonNode o : job.get("outputs")) {
            if (o.get("name").asText().equals(name)) return o;
        }
        throw new AssertionError("no output " + name + " in " + job);
    }

    private static HttpResponse<byte[]> download(String url, String key, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (key != null) b.header("Authorization", "Bearer " + key);
        if (range != null) b.header("Range", range);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String status(HttpResponse<byte[]> r) throws Exception {
        return r.statusCode() + " " + new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).at("/error/code").asText();
    }
}
