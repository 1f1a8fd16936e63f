package io.tonearm.api.identify;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.fingerprint.NearDuplicate;
import io.tonearm.api.ApiHarness;
import io.tonearm.api.PipelineStandIn;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.postgres.fingerprint.LandmarkIndexing;
import io.tonearm.sinks.postgres.fingerprint.RecordingLandmarks;
import io.tonearm.events.AnalysisRequested;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Arrays;
import java.util.List;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code POST /v1/identify} and {@code near_duplicates} against a real API and PostgreSQL, the fingerprints computed
 * by the real analyzer and indexed with the pipeline's own statements ({@link PipelineStandIn}).
 */
class IdentifyApiTest {

    @TempDir
    static Path dir;
    static ApiHarness api;
    static PipelineStandIn pipeline;
    static String key;
    static String otherKey;
    static float[][] tracks = new float[3][];
    static String[] trackAssets = new String[3];

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dir.resolve("api"), c -> c);
        pipeline = new PipelineStandIn(api.db);
        key = api.newKey(Plan.PRO);
        otherKey = api.newKey(Plan.PRO);
        pipeline.newRequests();
        for (int t = 0; t < tracks.length; t++) {
            tracks[t] = CatalogSynth.track(300 + t, 20);
            HttpResponse<String> r = identify(key, wav(tracks[t]), "respond-async");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            completeAll();
            trackAssets[t] = json(api.get("/v1/jobs/" + json(r).get("job_id").asText(), key)).get("asset_id").asText();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void anUploadedExcerptFindsItsTrackAtItsOffsetAndAnIndexedAssetAnswersAtOnce() throws Exception {
        float[] excerpt = Arrays.copyOfRange(tracks[1], 6 * CatalogSynth.RATE, 14 * CatalogSynth.RATE);
        String excerptAsset = indexedExcerpt(excerpt);

        HttpResponse<String> r = identifyAsset(key, excerptAsset);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(pipeline.newRequests()).as("indexed already: no pipeline work").isEmpty();
        JsonNode body = json(r);
        assertThat(body.get("asset_id").asText()).isEqualTo(excerptAsset);
        assertThat(body.get("model_name").asText()).isEqualTo("fingerprint");
        assertThat(body.get("model_version").asText()).isEqualTo("2");
        JsonNode top = body.get("matches").get(0);
        assertThat(top.get("asset_id").asText()).isEqualTo(trackAssets[1]);
        assertThat(top.get("offset_seconds").asDouble()).isCloseTo(6.0, within(0.1));
        assertThat(top.get("score").asInt()).isGreaterThan(25);
        assertThat(top.get("confidence").asDouble()).isBetween(0.02, 1.0);
        assertThat(body.get("matches")).extracting(m -> m.get("asset_id").asText()).doesNotContain(excerptAsset);

        // the track itself: the excerpt is a match (at a negative offset), never the track itself
        JsonNode byTrack = json(identifyAsset(key, trackAssets[1]));
        assertThat(byTrack.get("matches")).extracting(m -> m.get("asset_id").asText())
                .containsExactly(excerptAsset);

        // another account holding the very same excerpt bytes: answered at once, and nothing of the first account's
        HttpResponse<String> other = identify(otherKey, wav(excerpt), null);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(json(other).get("matches")).isEmpty();
    }

    @Test
    void excerptsShorterThanFiveSecondsAreRefused() throws Exception {
        float[] shortOne = Arrays.copyOf(tracks[0], 3 * CatalogSynth.RATE);
        HttpResponse<String> r = identify(key, wav(shortOne), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("excerpt_too_short");
        assertThat(json(r).at("/error/message").asText()).contains("5 s");
        assertThat(pipeline.newRequests()).isEmpty();
    }

    @Test
    void anotherAccountsAssetIsNotFound() {
        HttpResponse<String> r = identifyAsset(otherKey, trackAssets[0]);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    }

    @Test
    void twoEncodingsOfOneRecordingAreEachOthersNearDuplicates() throws Exception {
        byte[] mp3 = Files.readAllBytes(Degradations.mp3(tracks[2], "64k", dir));
        String mp3Asset = json(api.upload(key, mp3, "audio/mpeg", "copy.mp3")).get("asset_id").asText();
        HttpResponse<String> r = identify(key, mp3Asset);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        completeAll();

        JsonNode copy = json(api.get("/v1/assets/" + mp3Asset, key));
        assertThat(copy.get("near_duplicates")).singleElement().satisfies(d -> {
            assertThat(d.get("asset_id").asText()).isEqualTo(trackAssets[2]);
            assertThat(Math.abs(d.get("offset_seconds").asDouble())).isLessThan(0.25);
            assertThat(d.get("score").asInt()).isPositive();
        });
        JsonNode original = json(api.get("/v1/assets/" + trackAssets[2], key));
        assertThat(original.get("near_duplicates")).extracting(d -> d.get("asset_id").asText()).containsExactly(mp3Asset);
        assertThat(json(api.get("/v1/assets/" + trackAssets[0], key)).get("near_duplicates")).isEmpty();
    }

    /**
     * Recordings indexed before fingerprint version 2 keep their version-1 landmarks until analysed again; a query
     * indexed in version 2 still finds them (its version-1 landmarks are computed from its audio for the lookup).
     */
    @Test
    void aRecordingIndexedInVersionOneIsFoundByAnExcerptIndexedInVersionTwo() throws Exception {
        float[] track = CatalogSynth.track(320, 20);
        Path file = Degradations.wav(track, dir);
        byte[] bytes = Files.readAllBytes(file);
        String oldAsset = json(api.upload(key, bytes, "audio/wav", "indexed-in-v1.wav")).get("asset_id").asText();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        RecordingLandmarks v1 = RecordingLandmarks.of(sha, Degradations.fingerprint(LandmarkFormat.V1, file, Map.of()));
        assertThat(v1.format()).isEqualTo("wang-landmarks-v1");
        api.db.inTransaction(c -> LandmarkIndexing.index(c, v1, NearDuplicate.STANDARD)); // as the pipeline did before v2

        float[] excerpt = Arrays.copyOfRange(track, 6 * CatalogSynth.RATE, 14 * CatalogSynth.RATE);
        String excerptAsset = indexedExcerpt(excerpt);
        HttpResponse<String> r = identifyAsset(key, excerptAsset);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode top = json(r).get("matches").get(0);
        assertThat(top.get("asset_id").asText()).isEqualTo(oldAsset);
        assertThat(top.get("offset_seconds").asDouble()).isCloseTo(6.0, within(0.1));
        assertThat(top.get("confidence").asDouble()).isBetween(0.02, 1.0);
        // the old recording was left in its format; the excerpt was indexed in the current one
        String excerptSha = json(api.get("/v1/assets/" + excerptAsset, key)).get("sha256").asText();
        String oldFormat = api.db.withConnection(c -> formatOf(c, sha));
        String excerptFormat = api.db.withConnection(c -> formatOf(c, excerptSha));
        assertThat(oldFormat).isEqualTo("wang-landmarks-v1");
        assertThat(excerptFormat).isEqualTo(LandmarkFormat.CURRENT.id());
        // the other account holds no version-1 recording: the same excerpt finds nothing of the first account's
        HttpResponse<String> other = identify(otherKey, wav(excerpt), null);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(json(other).get("matches")).isEmpty();
    }

    private static String formatOf(java.sql.Connection c, String sha256) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("SELECT format FROM fingerprint_recordings WHERE sha256 = ?")) {
            ps.setString(1, sha256);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Uploads {@code excerpt} to identify without waiting, lets the stand-in fingerprint and index it; its asset. */
    private static String indexedExcerpt(float[] excerpt) throws Exception {
        HttpResponse<String> queued = identify(key, wav(excerpt), "respond-async");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        completeAll();
        return json(api.get("/v1/jobs/" + json(queued).get("job_id").asText(), key)).get("asset_id").asText();
    }

    private static void completeAll() throws Exception {
        List<AnalysisRequested> requests = pipeline.newRequests();
        for (AnalysisRequested req : requests) pipeline.complete(req);
    }

    private static byte[] wav(float[] mono) throws Exception {
        return Files.readAllBytes(Degradations.wav(mono, dir));
    }

    private static HttpResponse<String> identify(String key, byte[] wav, String prefer) {
        HttpRequest.Builder b = api.request("/v1/identify?filename=q.wav", key).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(wav));
        if (prefer != null) b.header("Prefer", prefer);
        return api.send(b.build());
    }

    private static HttpResponse<String> identify(String key, String assetId) {
        return api.send(api.request("/v1/identify", key).header("Content-Type", "application/json").header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + assetId + "\"}")).build());
    }

    private static HttpResponse<String> identifyAsset(String key, String assetId) {
        return api.send(api.request("/v1/identify", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"asset_id\":\"" + assetId + "\"}")).build());
    }
}
