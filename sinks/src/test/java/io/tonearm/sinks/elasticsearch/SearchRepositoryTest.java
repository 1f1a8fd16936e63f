package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Queries against documents written through the sink's write path into the real Elasticsearch. */
class SearchRepositoryTest {
    private static final String A = "account-a";
    private static final String B = "account-b";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static ElasticsearchConnection connection;
    private static SearchRepository repository;

    static SearchDocument track(String id, String account, String key, String mode, Double tempo, double lufs, String filename,
                                double duration, int day, String... chords) {
        float[] histogram = chords.length == 0 ? null : ChordHistogramTest.histogram(chords);
        return new SearchDocument(id, account, "sha-" + id, filename, duration, tempo, 0.9, key, mode, null, 0.8, lufs,
                6.0, -1.0, List.of(chords), histogram, T0.plusSeconds(86_400L * day), null, null).withFeatures();
    }

    @BeforeAll
    static void indexCatalogs() throws Exception {
        connection = TestElasticsearch.connect();
        ElasticsearchClient client = connection.client();
        SearchIndex index = TestElasticsearch.freshIndex(client);
        SearchBulkWriter writer = new SearchBulkWriter(client, index.alias(), RetryPolicy.defaults(), new SinkCounters());
        List<SearchDocument> docs = List.of(
                track("a00", A, "A", "minor", 124.0, -8.0, "Night Drive.wav", 210, 0, "A:min", "F:maj", "C:maj", "G:maj"),
                track("a01", A, "A", "minor", 125.0, -8.5, "night_drive_remix.mp3", 250, 1, "A:min", "F:maj", "C:maj", "E:maj"),
                track("a02", A, "E", "minor", 124.0, -9.0, "Daybreak.flac", 190, 2, "E:min", "C:maj", "G:maj", "D:maj"),
                track("a03", A, "C", "major", 100.0, -12.0, "ballad.wav", 300, 3, "C:maj", "G:maj", "A:min", "F:maj"),
                track("a04", A, "F#", "major", 87.0, -20.0, "Ambient Piece.wav", 600, 4, "F#:maj", "C#:maj", "B:maj"),
                track("a05", A, "D", "minor", 140.0, -6.0, "techno-1.wav", 360, 5, "D:min"),
                track("a06", A, "D", "minor", 138.0, -6.5, "techno-2.wav", 380, 6, "D:min", "Bb:maj"),
                track("a07", A, "G", "major", 96.0, -14.0, "folk.mp3", 180, 7, "G:maj", "C:maj", "D:maj"),
                track("a08", A, "A", "major", 128.0, -7.0, "House Tool.wav", 320, 8, "A:maj", "D:maj"),
                track("a09", A, "Bb", "minor", 70.0, -16.0, "Slow Jam.wav", 240, 9, "Bb:min", "Eb:min"),
                track("a10", A, "A", "minor", 110.0, -10.0, "NIGHT shift.aiff", 200, 10, "A:min", "D:min"),
                track("a11", A, null, null, null, -30.0, "silence-test.wav", 10, 11),
                // B owns a copy of A's anchor and a near neighbour: A must never see them.
                track("b00", B, "A", "minor", 124.0, -8.0, "Night Drive.wav", 210, 0, "A:min", "F:maj", "C:maj", "G:maj"),
                track("b01", B, "A", "minor", 124.5, -8.1, "night drive copy.wav", 211, 1, "A:min", "F:maj", "C:maj", "G:maj"),
                track("b02", B, "C", "major", 90.0, -11.0, "other.wav", 100, 2, "C:maj"));
        docs.forEach(d -> writer.add(SearchAction.upsert(d)));
        writer.flush();
        client.indices().refresh(r -> r.index(index.alias()));
        repository = new SearchRepository(client, index);
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    private static List<String> ids(SearchPage page) {
        return page.items().stream().map(SearchDocument::assetId).toList();
    }

    private static List<String> all(SearchQuery query) throws Exception {
        return ids(repository.search(query.pageSize(100)));
    }

    @Test
    void everyFilterNarrowsTheAccountsAssetsOnly() throws Exception {
        SearchQuery a = SearchQuery.forAccount(A);
        assertThat(all(a)).hasSize(12).allMatch(id -> id.startsWith("a"));
        assertThat(all(a.key("A").mode("minor"))).containsExactlyInAnyOrder("a00", "a01", "a10");
        assertThat(all(a.tempo(120.0, 130.0))).containsExactlyInAnyOrder("a00", "a01", "a02", "a08");
        assertThat(all(a.tempo(135.0, null))).containsExactlyInAnyOrder("a05", "a06");
        assertThat(all(a.loudness(-9.0, -7.0))).containsExactlyInAnyOrder("a00", "a01", "a02", "a08");
        assertThat(all(a.duration(null, 200.0))).containsExactlyInAnyOrder("a02", "a07", "a10", "a11");
        assertThat(all(a.filename("night"))).containsExactlyInAnyOrder("a00", "a01", "a10");
        assertThat(all(a.filename("*"))).isEmpty();
        assertThat(all(a.created(T0.plusSeconds(86_400L * 3), T0.plusSeconds(86_400L * 5)))).containsExactlyInAnyOrder("a03", "a04", "a05");
        assertThat(all(a.key("D").tempo(139.0, null))).containsExactly("a05");
        assertThat(all(SearchQuery.forAccount("nobody"))).isEmpty();
    }

    @Test
    void newestFirstByDefault() throws Exception {
        assertThat(all(SearchQuery.forAccount(B))).containsExactly("b02", "b01", "b00");
    }

    @Test
    void pagesWithSearchAfterVisitEveryMatchOnceInOrderMissingValuesLast() throws Exception {
        SearchQuery query = SearchQuery.forAccount(A).sortBy(SearchQuery.Sort.TEMPO, false).pageSize(5);
        List<String> seen = new ArrayList<>();
        List<Double> tempos = new ArrayList<>();
        int pages = 0;
        String cursor = null;
        do {
            SearchPage page = repository.search(query.after(cursor));
            assertThat(page.total()).isEqualTo(12);
            seen.addAll(ids(page));
            page.items().forEach(d -> tempos.add(d.tempo()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(12).doesNotHaveDuplicates();
        assertThat(tempos.get(tempos.size() - 1)).as("no tempo sorts last").isNull();
        List<Double> known = tempos.stream().filter(Objects::nonNull).toList();
        assertThat(known).isSorted();
        // descending by created_at, too
        SearchPage first = repository.search(SearchQuery.forAccount(A).pageSize(4));
        assertThat(ids(first)).containsExactly("a11", "a10", "a09", "a08");
        assertThat(ids(repository.search(SearchQuery.forAccount(A).pageSize(4).after(first.nextCursor()))))
                .containsExactly("a07", "a06", "a05", "a04");
    }

    @Test
    void aForgedCursorIsRefused() {
        assertThatThrownBy(() -> repository.search(SearchQuery.forAccount(A).after("not-a-cursor")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void facetsCountKeysModesAndTempoBucketsOfTheMatchesOnly() throws Exception {
        SearchPage page = repository.search(SearchQuery.forAccount(A).withFacets().pageSize(1));
        SearchPage.Facets facets = page.facets();
        assertThat(facets.keys()).containsEntry("A", 4L).containsEntry("D", 2L).containsEntry("F#", 1L);
        assertThat(facets.keys().keySet().iterator().next()).isEqualTo("A");
        assertThat(facets.modes()).containsEntry("minor", 7L).containsEntry("major", 4L);
        assertThat(facets.tempo()).contains(new SearchPage.Bucket(120, 130, 4), new SearchPage.Bucket(70, 80, 1));
        assertThat(facets.tempo().stream().mapToLong(SearchPage.Bucket::count).sum()).isEqualTo(11);

        SearchPage.Facets minor = repository.search(SearchQuery.forAccount(A).mode("minor").withFacets()).facets();
        assertThat(minor.modes()).containsOnlyKeys("minor");
        assertThat(minor.keys()).containsEntry("A", 3L).doesNotContainKey("C");
        assertThat(repository.search(SearchQuery.forAccount(A)).facets()).isNull();
    }

    @Test
    void similarToRanksTheNearestFirstWithinTheAccount() throws Exception {
        List<SimilarAsset> similar = repository.similarTo(SearchQuery.forAccount(A), "a00", 5).orElseThrow();
        List<String> ids = similar.stream().map(s -> s.document().assetId()).toList();
        assertThat(ids).hasSize(5).doesNotContain("a00").allMatch(id -> id.startsWith("a"));
        assertThat(ids.get(0)).isEqualTo("a01"); // same key, tempo, loudness, nearly the same chords
        assertThat(similar).extracting(SimilarAsset::score).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        assertThat(ids).doesNotContain("a04"); // a tritone away, 87 bpm, -20 LUFS

        // filters apply inside the kNN clause
        List<String> fast = repository.similarTo(SearchQuery.forAccount(A).tempo(130.0, null), "a00", 3).orElseThrow()
                .stream().map(s -> s.document().assetId()).toList();
        assertThat(fast).containsExactlyInAnyOrder("a05", "a06");
    }

    @Test
    void anotherAccountNeverSeesOrReachesTheAssets() throws Exception {
        assertThat(repository.find(A, "b00")).isEmpty();
        assertThat(repository.find(B, "b00")).isPresent();
        assertThat(repository.similarTo(SearchQuery.forAccount(A), "b00", 3)).isEmpty();
        List<String> fromB = repository.similarTo(SearchQuery.forAccount(B), "b00", 10).orElseThrow()
                .stream().map(s -> s.document().assetId()).toList();
        assertThat(fromB).containsExactly("b01", "b02");
        assertThat(all(SearchQuery.forAccount(B).filename("night"))).containsExactlyInAnyOrder("b00", "b01");
        assertThat(repository.similarTo(SearchQuery.forAccount(A), "no-such-asset", 3)).isEmpty();
    }
}
