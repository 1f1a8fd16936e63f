package io.tonearm.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiHarness;
import io.tonearm.api.accounts.AccountService;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.api.http.Json;
import io.tonearm.localstack.LocalStack;
import io.tonearm.sinks.elasticsearch.ElasticsearchConnection;
import io.tonearm.sinks.elasticsearch.PipelineSearchWrites;
import io.tonearm.sinks.elasticsearch.SearchDocument;
import io.tonearm.sinks.elasticsearch.SearchIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/search} over HTTP against a real API, PostgreSQL and Elasticsearch. Two accounts upload real
 * assets; their search documents are built from analysis results ({@link SearchDocument#of}) and written with the
 * search sink's own index setup and bulk writer, as the analysis job does.
 */
class SearchApiTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    static Path dataDir;
    static ApiHarness api;
    static ElasticsearchConnection es;
    static String keyA;
    static String keyB;
    /** Short name (a00…, b00…) → asset id, and back. */
    static final Map<String, String> ids = new LinkedHashMap<>();
    static final Map<String, String> names = new HashMap<>();
    static int seed = 900;

    @BeforeAll
    static void indexTwoCatalogs() throws Exception {
        String esUrl = LocalStack.shared().elasticsearch().httpUrl();
        SearchIndex index = SearchIndex.withPrefix("api" + UUID.randomUUID().toString().substring(0, 8));
        api = new ApiHarness(dataDir, c -> c.withSearch(SearchSettings.at(esUrl).withIndex(index)));
        AccountService.CreatedAccount a = api.server.accounts().createAccount("label-a", Plan.PRO);
        AccountService.CreatedAccount b = api.server.accounts().createAccount("label-b", Plan.PRO);
        keyA = a.plainKey();
        keyB = b.plainKey();
        String accA = a.account().id().toString();
        String accB = b.account().id().toString();
        List<SearchDocument> docs = List.of(
                track("a00", accA, keyA, "A", "minor", "8A", 124.0, -8.0, "Night Drive.wav", 210, 0, "A:min", "F:maj", "C:maj", "G:maj"),
                track("a01", accA, keyA, "A", "minor", "8A", 125.0, -8.5, "night_drive_remix.mp3", 250, 1, "A:min", "F:maj", "C:maj", "E:maj"),
                track("a02", accA, keyA, "E", "minor", "9A", 124.0, -9.0, "Daybreak.flac", 190, 2, "E:min", "C:maj", "G:maj", "D:maj"),
                track("a03", accA, keyA, "C", "major", "8B", 100.0, -12.0, "ballad.wav", 300, 3, "C:maj", "G:maj", "A:min", "F:maj"),
                track("a04", accA, keyA, "F#", "major", "2B", 87.0, -20.0, "Ambient Piece.wav", 600, 4, "F#:maj", "C#:maj", "B:maj"),
                track("a05", accA, keyA, "D", "minor", "7A", 140.0, -6.0, "techno-1.wav", 360, 5, "D:min"),
                track("a06", accA, keyA, "D", "minor", "7A", 138.0, -6.5, "techno-2.wav", 380, 6, "D:min", "Bb:maj"),
                track("a07", accA, keyA, "G", "major", "9B", 96.0, -14.0, "folk.mp3", 180, 7, "G:maj", "C:maj", "D:maj"),
                track("a08", accA, keyA, "A", "major", "11B", 128.0, -7.0, "House Tool.wav", 320, 8, "A:maj", "D:maj"),
                track("a09", accA, keyA, "Bb", "minor", "3A", 70.0, -16.0, "Slow Jam.wav", 240, 9, "Bb:min", "Eb:min"),
                track("a10", accA, keyA, "A", "minor", "8A", 110.0, -10.0, "NIGHT shift.aiff", 200, 10, "A:min", "D:min"),
                track("a11", accA, keyA, null, null, null, null, -30.0, "silence-test.wav", 10, 11),
                // B owns the same music as A's anchor and a near copy: A must never see them, nor B A's.
                track("b00", accB, keyB, "A", "minor", "8A", 124.0, -8.0, "Night Drive.wav", 210, 0, "A:min", "F:maj", "C:maj", "G:maj"),
                track("b01", accB, keyB, "A", "minor", "8A", 124.5, -8.1, "night drive copy.wav", 211, 1, "A:min", "F:maj", "C:maj", "G:maj"),
                track("b02", accB, keyB, "C", "major", "8B", 90.0, -11.0, "other.wav", 100, 2, "C:maj"));
        es = ElasticsearchConnection.open(esUrl);
        PipelineSearchWrites.upsert(es, index, docs);
    }

    @AfterAll
    static void stop() throws Exception {
        if (es != null) {
            es.close();
        }
        if (api != null) {
            api.close();
        }
    }

    /** Uploads a real asset for the account, then builds its search document from analysis results. */
    private static SearchDocument track(String name, String account, String apiKey, String key, String mode,
                                        String camelot, Double tempo, double lufs, String filename, double duration,
                                        int day, String... chords) throws Exception {
        HttpResponse<String> up = api.upload(apiKey, ApiHarness.wav(seed++, 0.2), "audio/wav",
                URLEncoder.encode(filename, StandardCharsets.UTF_8));
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        JsonNode asset = json(up);
        String assetId = asset.get("asset_id").asText();
        ids.put(name, assetId);
        names.put(assetId, name);
        Map<String, JsonNode> results = new HashMap<>();
        if (tempo != null) {
            results.put("bpm", Json.mapper().valueToTree(Map.of("tempo", tempo, "confidence", 0.9)));
        }
        if (key != null) {
            results.put("key", Json.mapper().valueToTree(Map.of("key", key, "mode", mode, "key_camelot", camelot,
                    "confidence", 0.8)));
        }
        results.put("loudness-ebur128", Json.mapper().valueToTree(Map.of("integrated_lufs", lufs,
                "loudness_range", 6.0, "true_peak_dbtp", -1.0)));
        if (chords.length > 0) {
            List<Map<String, Object>> segments = new ArrayList<>();
            List<Map<String, Object>> summary = new ArrayList<>();
            for (int i = 0; i < chords.length; i++) {
                double length = chords.length - i; // earlier chords last longer: the summary's order
                segments.add(Map.of("start", 10.0 * i, "end", 10.0 * i + length, "label", chords[i]));
                summary.add(Map.of("label", chords[i], "duration", length));
            }
            results.put("chords", Json.mapper().valueToTree(Map.of("chords", segments, "summary", summary)));
        }
        return SearchDocument.of(new SearchDocument.Asset(assetId, account, asset.get("sha256").asText(), filename,
                duration, T0.plusSeconds(86_400L * day)), results);
    }

    private static HttpResponse<String> search(String query, String apiKey) {
        return api.get("/v1/search" + (query.isEmpty() ? "" : "?" + query), apiKey);
    }

    /** The short names of the answer's items, in order; asserts a 200. */
    private static List<String> names(String query, String apiKey) {
        HttpResponse<String> r = search(query, apiKey);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        json(r).get("items").forEach(i -> out.add(names.get(i.get("asset_id").asText())));
        return out;
    }

    private static List<String> allA(String query) {
        return names(query + (query.isEmpty() ? "" : "&") + "page_limit=50", keyA);
    }

    @Test
    void everyFilterNarrowsTheCallersAssets() {
        assertThat(allA("")).hasSize(12).allMatch(n -> n.startsWith("a"));
        assertThat(allA("key=A")).containsExactlyInAnyOrder("a00", "a01", "a08", "a10");
        assertThat(allA("key=a&mode=MINOR")).containsExactlyInAnyOrder("a00", "a01", "a10");
        assertThat(allA("key=A%23")).as("A# is spelled Bb by the key analyzer").containsExactly("a09");
        assertThat(allA("mode=major")).containsExactlyInAnyOrder("a03", "a04", "a07", "a08");
        assertThat(allA("tempo_min=120&tempo_max=130")).containsExactlyInAnyOrder("a00", "a01", "a02", "a08");
        assertThat(allA("tempo_min=135")).containsExactlyInAnyOrder("a05", "a06");
        assertThat(allA("loudness_min=-9&loudness_max=-7")).containsExactlyInAnyOrder("a00", "a01", "a02", "a08");
        assertThat(allA("duration_max=200")).containsExactlyInAnyOrder("a02", "a07", "a10", "a11");
        assertThat(allA("duration_min=350&duration_max=400")).containsExactlyInAnyOrder("a05", "a06");
        assertThat(allA("filename=night")).containsExactlyInAnyOrder("a00", "a01", "a10");
        assertThat(allA("filename=" + URLEncoder.encode("Night Dr", StandardCharsets.UTF_8))).containsExactlyInAnyOrder("a00");
        assertThat(allA("created_from=2026-11-04T00:00:00Z&created_to=2026-11-06T00:00:00Z"))
                .containsExactlyInAnyOrder("a03", "a04", "a05");
        assertThat(allA("created_from=2026-11-04&created_to=2026-11-05")).as("whole days")
                .containsExactlyInAnyOrder("a03", "a04");
        assertThat(allA("key=D&tempo_min=139")).containsExactly("a05");
    }

    @Test
    void itemsCarryTheAnalysisFieldsAndTheCountOfAllMatches() {
        JsonNode answer = json(search("key=A&mode=minor&tempo_max=124.5&page_limit=1", keyA));
        assertThat(answer.get("count").asLong()).isEqualTo(2); // a00 and a10
        assertThat(answer.has("facets")).isFalse();
        JsonNode item = answer.get("items").get(0);
        assertThat(names.get(item.get("asset_id").asText())).isEqualTo("a10"); // newest first
        assertThat(item.get("filename").asText()).isEqualTo("NIGHT shift.aiff");
        assertThat(item.get("sha256").asText()).hasSize(64);
        assertThat(item.get("duration").asDouble()).isEqualTo(200.0);
        assertThat(item.get("tempo").asDouble()).isEqualTo(110.0);
        assertThat(item.get("key").asText()).isEqualTo("A");
        assertThat(item.get("mode").asText()).isEqualTo("minor");
        assertThat(item.get("key_camelot").asText()).isEqualTo("8A");
        assertThat(item.get("integrated_lufs").asDouble()).isEqualTo(-10.0);
        assertThat(item.get("loudness_range").asDouble()).isEqualTo(6.0);
        assertThat(item.get("true_peak_dbtp").asDouble()).isEqualTo(-1.0);
        assertThat(item.get("chords").toString()).isEqualTo("[\"A:min\",\"D:min\"]");
        assertThat(item.get("created_at").asText()).isEqualTo("2026-11-11T00:00:00Z");
        assertThat(item.has("score")).isFalse();
        assertThat(item.has("features")).isFalse();
        assertThat(answer.get("next_cursor").asText()).isNotBlank();
    }

    @Test
    void sortsByEachFieldBothWays() {
        assertThat(allA("")).startsWith("a11", "a10", "a09").endsWith("a00");
        assertThat(allA("sort=created_at")).startsWith("a00", "a01").endsWith("a11");
        assertThat(allA("sort=tempo")).startsWith("a09", "a04", "a07", "a03").endsWith("a05", "a11"); // no tempo: last
        assertThat(allA("sort=-tempo")).startsWith("a05", "a06", "a08").endsWith("a11");
        assertThat(allA("sort=tempo&order=desc")).isEqualTo(allA("sort=-tempo"));
        assertThat(allA("sort=loudness")).startsWith("a11", "a04", "a09").endsWith("a05");
        assertThat(allA("sort=-duration")).startsWith("a04", "a06", "a05").endsWith("a11");
        assertThat(allA("sort=filename")).startsWith("a04", "a02", "a08"); // keyword order: capitals first
    }

    @Test
    void cursorPagesVisitEveryMatchOnceInOrder() {
        for (String sort : List.of("sort=tempo", "sort=-created_at", "sort=filename", "sort=-loudness")) {
            List<String> whole = allA(sort);
            List<String> paged = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = json(search(sort + "&page_limit=5" + (cursor == null ? "" : "&cursor=" + cursor), keyA));
                assertThat(page.get("count").asLong()).isEqualTo(12);
                page.get("items").forEach(i -> paged.add(names.get(i.get("asset_id").asText())));
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                pages++;
            } while (cursor != null && pages < 10);
            assertThat(pages).as(sort).isEqualTo(3);
            assertThat(paged).as(sort + ": no duplicates, no gaps, same order as one page").isEqualTo(whole);
        }
    }

    @Test
    void aCursorOfAnotherSortOrNoneOfOursIs400() {
        String cursor = json(search("sort=tempo&page_limit=2", keyA)).get("next_cursor").asText();
        assertError(search("sort=-tempo&cursor=" + cursor, keyA), 400, "invalid_cursor");
        assertError(search("cursor=" + cursor, keyA), 400, "invalid_cursor");
        assertError(search("sort=tempo&cursor=not-a-cursor", keyA), 400, "invalid_cursor");
        assertError(search("sort=tempo&cursor=tempo-a.bm90LWpzb24", keyA), 400, "invalid_cursor");
        assertError(search("sort=tempo&cursor=tempo-a.WyJ4IiwieSJd", keyA), 400, "invalid_cursor"); // ["x","y"]
    }

    @Test
    void facetsCountKeysModesAndTempoBucketsOfAllMatches() {
        JsonNode answer = json(search("facets=true&page_limit=1", keyA));
        JsonNode facets = answer.get("facets");
        assertThat(answer.get("items")).hasSize(1);
        assertThat(facets.get("key").get("A").asLong()).isEqualTo(4);
        assertThat(facets.get("key").get("D").asLong()).isEqualTo(2);
        assertThat(facets.get("key").fieldNames().next()).isEqualTo("A"); // most frequent first
        assertThat(facets.get("mode").get("minor").asLong()).isEqualTo(7);
        assertThat(facets.get("mode").get("major").asLong()).isEqualTo(4);
        long inBuckets = 0;
        Map<Double, Long> buckets = new HashMap<>();
        for (JsonNode b : facets.get("tempo")) {
            assertThat(b.get("to").asDouble() - b.get("from").asDouble()).isEqualTo(10.0);
            buckets.put(b.get("from").asDouble(), b.get("count").asLong());
            inBuckets += b.get("count").asLong();
        }
        assertThat(buckets).containsEntry(120.0, 4L).containsEntry(70.0, 1L).containsEntry(130.0, 1L)
                .containsEntry(140.0, 1L);
        assertThat(inBuckets).isEqualTo(11); // a11 has no tempo

        JsonNode minor = json(search("facets=true&mode=minor", keyA)).get("facets");
        assertThat(minor.get("mode").size()).isEqualTo(1);
        assertThat(minor.get("key").get("A").asLong()).isEqualTo(3);
        assertThat(minor.get("key").has("C")).isFalse();
    }

    @Test
    void similarToRanksTheCallersAssetsNearestFirst() {
        JsonNode answer = json(search("similar_to=" + ids.get("a00") + "&page_limit=4", keyA));
        List<String> near = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        answer.get("items").forEach(i -> {
            near.add(names.get(i.get("asset_id").asText()));
            scores.add(i.get("score").asDouble());
        });
        assertThat(near).hasSize(4).doesNotContain("a00").allMatch(n -> n.startsWith("a"));
        assertThat(near.get(0)).isEqualTo("a01"); // same key, tempo, loudness, nearly the same chords
        assertThat(near).doesNotContain("a04", "a11");
        assertThat(scores).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        assertThat(scores.get(0)).isGreaterThan(0.9).isLessThanOrEqualTo(1.0);
        assertThat(answer.get("count").asInt()).isEqualTo(4);
        assertThat(answer.get("next_cursor").isNull()).isTrue();

        assertThat(names("similar_to=" + ids.get("a00") + "&page_limit=2", keyA)).hasSize(2).startsWith("a01");
        assertThat(names("similar_to=" + ids.get("a00") + "&mode=major&page_limit=10", keyA))
                .isNotEmpty().allMatch(n -> List.of("a03", "a04", "a07", "a08").contains(n));
    }

    @Test
    void anotherAccountSeesNoneOfTheseAssets() {
        assertThat(names("page_limit=50", keyB)).containsExactly("b02", "b01", "b00");
        assertThat(names("filename=night&page_limit=50", keyB)).containsExactlyInAnyOrder("b00", "b01");
        assertThat(json(search("facets=true", keyB)).get("facets").get("key").get("A").asLong()).isEqualTo(2);
        assertThat(json(search("", keyB)).get("count").asLong()).isEqualTo(3);
        // A's asset ids are unknown to B, also as the anchor of similar_to (B even has the same music)
        assertError(search("similar_to=" + ids.get("a00"), keyB), 404, "not_found");
        assertError(search("similar_to=" + ids.get("b00"), keyA), 404, "not_found");
        assertError(search("similar_to=" + UUID.randomUUID(), keyA), 404, "not_found");
        assertThat(names("similar_to=" + ids.get("b00"), keyB)).containsExactly("b01", "b02");
        // a client-supplied account is no parameter at all
        assertError(search("account_id=" + UUID.randomUUID(), keyB), 400, "invalid_parameter");
        assertThat(search("", null).statusCode()).isEqualTo(401);
    }

    @Test
    void badParametersAre400WithTheirName() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("key=H", "key");
        bad.put("mode=dorian", "mode");
        bad.put("tempo_min=fast", "tempo_min");
        bad.put("tempo_max=NaN", "tempo_max");
        bad.put("tempo_min=130&tempo_max=120", "tempo_min");
        bad.put("loudness_min=-5&loudness_max=-10", "loudness_min");
        bad.put("duration_min=x", "duration_min");
        bad.put("created_from=yesterday", "created_from");
        bad.put("created_from=2026-11-05&created_to=2026-11-04", "created_from");
        bad.put("sort=bpm", "sort");
        bad.put("order=up", "order");
        bad.put("sort=-tempo&order=asc", "order");
        bad.put("page_limit=0", "page_limit");
        bad.put("page_limit=51", "page_limit");
        bad.put("page_limit=ten", "page_limit");
        bad.put("facets=yes", "facets");
        bad.put("tempo=120", "tempo");
        bad.put("similar_to=x&sort=tempo", "sort");
        bad.put("similar_to=x&cursor=y", "cursor");
        bad.forEach((query, parameter) -> {
            HttpResponse<String> r = search(query, keyA);
            assertError(r, 400, "invalid_parameter");
            assertThat(json(r).get("error").get("message").asText()).as(query).contains(parameter);
        });
    }

    @Test
    void healthReportsSearch() {
        JsonNode health = json(api.get("/health", null));
        assertThat(health.get("checks").get("search").asText()).isEqualTo("up");
    }

    @Test
    void withoutElasticsearchSearchIs503AndTheRestWorks(@TempDir Path dir) throws Exception {
        try (ApiHarness plain = new ApiHarness(dir, c -> c)) {
            String key = plain.newKey(Plan.BASIC);
            HttpResponse<String> r = plain.get("/v1/search?key=A", key);
            assertError(r, 503, "search_unavailable");
            assertThat(json(r).get("error").get("message").asText()).contains("TONEARM_ELASTICSEARCH");
            assertThat(json(plain.get("/health", null)).get("checks").has("search")).isFalse();
            assertThat(plain.get("/v1/assets", key).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUnreachableElasticsearchIs503AndDownInHealth(@TempDir Path dir) throws Exception {
        try (ApiHarness down = new ApiHarness(dir, c -> c.withSearch(SearchSettings.at("http://127.0.0.1:9")))) {
            assertError(down.get("/v1/search", down.newKey(Plan.BASIC)), 503, "search_unavailable");
            HttpResponse<String> health = down.get("/health", null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(json(health).get("checks").get("search").asText()).isEqualTo("down");
        }
    }

    @Test
    void anIndexNothingWasWrittenToYetAnswersAnEmptyPage(@TempDir Path dir) throws Exception {
        SearchIndex fresh = SearchIndex.withPrefix("empty" + UUID.randomUUID().toString().substring(0, 8));
        String url = LocalStack.shared().elasticsearch().httpUrl();
        try (ApiHarness empty = new ApiHarness(dir, c -> c.withSearch(SearchSettings.at(url).withIndex(fresh)))) {
            JsonNode answer = json(empty.get("/v1/search?facets=true", empty.newKey(Plan.BASIC)));
            assertThat(answer.get("items")).isEmpty();
            assertThat(answer.get("count").asLong()).isZero();
            assertThat(answer.get("next_cursor").isNull()).isTrue();
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("error").get("code").asText()).as(r.body()).isEqualTo(code);
    }
}
