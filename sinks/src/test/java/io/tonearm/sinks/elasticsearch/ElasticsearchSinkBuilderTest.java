package io.tonearm.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ElasticsearchSinkBuilderTest {

    @Test
    void rejectsEachInvalidSettingByName() {
        assertThatThrownBy(() -> ElasticsearchSink.builder().build()).hasMessageContaining("setHosts");
        assertThatThrownBy(() -> ElasticsearchSink.builder().setHosts("127.0.0.1:9200").build()).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> ElasticsearchSink.builder().setHosts("http://es:9200").setBulkFlushMaxActions(0).build())
                .hasMessageContaining("bulkFlushMaxActions");
        assertThatThrownBy(() -> ElasticsearchSink.builder().setHosts("http://es:9200").setBulkFlushInterval(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("bulkFlushInterval");
        assertThatThrownBy(() -> ElasticsearchSink.builder().setHosts("http://es:9200").setIndex(null).build())
                .hasMessageContaining("index");
        assertThatThrownBy(() -> ElasticsearchSink.builder().setHosts("http://es:9200").setRetryPolicy(null).build())
                .hasMessageContaining("retryPolicy");
        assertThatThrownBy(() -> SearchIndex.withPrefix("Tonearm")).hasMessageContaining("lower case");
    }

    @Test
    void aValidSinkIsSerializableForFlink() throws Exception {
        ElasticsearchSink sink = ElasticsearchSink.builder().setHosts("http://127.0.0.1:9200", "https://es.example:9243")
                .setIndex(SearchIndex.withPrefix("test")).setBulkFlushInterval(Duration.ZERO).build();
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(sink);
        }
        assertThat(sink.index().alias()).isEqualTo("test-search");
        assertThat(sink.index().indexName()).isEqualTo("test-search-v1");
    }
}
