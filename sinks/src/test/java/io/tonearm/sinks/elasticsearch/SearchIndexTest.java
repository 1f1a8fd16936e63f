package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchIndexTest {
    private static ElasticsearchConnection connection;
    private static ElasticsearchClient client;

    @BeforeAll
    static void connect() {
        connection = TestElasticsearch.connect();
        client = connection.client();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @Test
    void applyingTwiceKeepsOneGreenIndexBehindTheAlias() throws Exception {
        SearchIndex index = SearchIndex.withPrefix("idx" + UUID.randomUUID().toString().substring(0, 6));
        index.apply(client);
        index.apply(client);

        var aliases = client.indices().getAlias(a -> a.name(index.alias()));
        assertThat(aliases.result()).containsOnlyKeys(index.indexName());
        assertThat(client.cluster().health(h -> h.index(index.alias()).waitForStatus(HealthStatus.Green).timeout(t -> t.time("10s"))).status())
                .isEqualTo(HealthStatus.Green);

        Map<String, Property> properties = client.indices().getMapping(m -> m.index(index.indexName()))
                .get(index.indexName()).mappings().properties();
        Property features = properties.get("features");
        assertThat(features.isDenseVector()).isTrue();
        assertThat(features.denseVector().dims()).isEqualTo(FeatureVector.DIMENSIONS);
        assertThat(features.denseVector().index()).isTrue();
        assertThat(features.denseVector().similarity().jsonValue()).isEqualTo("cosine");
        assertThat(properties.get("account_id").isKeyword()).isTrue();
        assertThat(properties.get("created_at").isDate()).isTrue();
        assertThat(properties.get("tempo").isFloat()).isTrue();
    }

    @Test
    void anIndexLeftWithoutItsAliasGetsItBack() throws Exception {
        SearchIndex index = SearchIndex.withPrefix("idx" + UUID.randomUUID().toString().substring(0, 6));
        index.apply(client);
        client.indices().deleteAlias(d -> d.index(index.indexName()).name(index.alias()));
        assertThat(client.indices().existsAlias(a -> a.name(index.alias())).value()).isFalse();
        index.apply(client);
        assertThat(client.indices().existsAlias(a -> a.name(index.alias())).value()).isTrue();
    }
}
