package io.tonearm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.mapping.DenseVectorSimilarity;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.util.List;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Through the official Java client, against the node shared by this test run. */
class ElasticsearchServerTest {
    private static final String INDEX = "tracks";

    public record Track(String title, String genre, List<Float> embedding) {
    }

    private static RestClientTransport transport;
    private static ElasticsearchClient client;

    @BeforeAll
    static void connect() {
        ElasticsearchServer es = LocalStack.shared().elasticsearch();
        transport = new RestClientTransport(RestClient.builder(HttpHost.create(es.httpUrl())).build(), new JacksonJsonpMapper());
        client = new ElasticsearchClient(transport);
    }

    @AfterAll
    static void disconnect() throws IOException {
        transport.close(); // its HTTP threads would otherwise keep the JVM alive
    }

    @Test
    void itNeverRunsAsRoot() {
        ElasticsearchServer es = LocalStack.shared().elasticsearch();
        String user = ProcessHandle.of(es.pid()).flatMap(p -> p.info().user()).orElseThrow();
        assertThat(user).isNotEqualTo("root");
        if (Unix.isRoot()) {
            assertThat(user).isEqualTo(ServiceUser.DEFAULT_NAME);
        }
        assertThat(ProcessHandle.of(es.pid()).orElseThrow().descendants())
                .as("the launcher's server JVM").isNotEmpty();
    }

    @Test
    void termAndKnnQueriesFindBulkIndexedDocuments() throws IOException {
        client.indices().create(c -> c.index(INDEX)
                .settings(s -> s.numberOfShards("1").numberOfReplicas("0"))
                .mappings(m -> m
                        .properties("title", p -> p.text(t -> t))
                        .properties("genre", p -> p.keyword(k -> k))
                        .properties("embedding", p -> p.denseVector(v -> v.dims(3).index(true)
                                .similarity(DenseVectorSimilarity.Cosine)))));
        assertThat(client.cluster().health(h -> h.index(INDEX).waitForStatus(HealthStatus.Green)).status())
                .isEqualTo(HealthStatus.Green);

        List<Track> tracks = List.of(
                new Track("So What", "jazz", List.of(1f, 0f, 0f)),
                new Track("Teardrop", "trip-hop", List.of(0f, 1f, 0f)),
                new Track("Naima", "jazz", List.of(0f, 0f, 1f)));
        BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.WaitFor);
        for (int i = 0; i < tracks.size(); i++) {
            String id = String.valueOf(i + 1);
            Track track = tracks.get(i);
            bulk.operations(op -> op.index(idx -> idx.index(INDEX).id(id).document(track)));
        }
        BulkResponse indexed = client.bulk(bulk.build());
        assertThat(indexed.errors()).isFalse();
        assertThat(indexed.items()).hasSize(3);

        SearchResponse<Track> jazz = client.search(s -> s.index(INDEX)
                .query(q -> q.term(t -> t.field("genre").value("jazz"))), Track.class);
        assertThat(jazz.hits().hits()).extracting(Hit::id).containsExactlyInAnyOrder("1", "3");

        SearchResponse<Track> nearest = client.search(s -> s.index(INDEX)
                .knn(k -> k.field("embedding").queryVector(0.1f, 0.9f, 0.05f).k(2).numCandidates(10)), Track.class);
        assertThat(nearest.hits().hits()).isNotEmpty();
        assertThat(nearest.hits().hits().get(0).id()).isEqualTo("2");
        assertThat(nearest.hits().hits().get(0).source().title()).isEqualTo("Teardrop");
    }
}
