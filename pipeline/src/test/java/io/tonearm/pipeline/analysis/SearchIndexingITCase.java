package io.tonearm.pipeline.analysis;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.tonearm.analysis.StandardAnalyzers;
import io.tonearm.localstack.LocalStack;
import io.tonearm.pipeline.analysis.PipelineFixture.Asset;
import io.tonearm.pipeline.analysis.output.SearchUpdateSink;
import io.tonearm.sinks.elasticsearch.ElasticsearchConnection;
import io.tonearm.sinks.elasticsearch.ElasticsearchSink;
import io.tonearm.sinks.elasticsearch.SearchDocument;
import io.tonearm.sinks.elasticsearch.SearchIndex;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static io.tonearm.pipeline.analysis.PipelineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The standard analyzer set through the job into the real Elasticsearch (the es-sink module's sink): one
 * document per asset, also for a second account's asset on the same bytes, which is answered from state.
 */
class SearchIndexingITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path blobs;
    static PipelineFixture f;
    static ElasticsearchConnection es;
    static SearchIndex index;

    @BeforeAll
    static void start() throws Exception {
        CountingAnalysis.reset();
        f = new PipelineFixture(blobs);
        String url = LocalStack.shared().elasticsearch().httpUrl();
        es = ElasticsearchConnection.open(url);
        index = SearchIndex.withPrefix("p" + f.suffix);
        index.apply(es.client());
        f.start(new CountingAnalysis(), Duration.ofMillis(500), 2,
                new SearchUpdateSink(ElasticsearchSink.builder().setHosts(url).setIndex(index).build()));
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
        if (es != null) es.close();
    }

    @Test
    void theStandardSetFillsOneSearchDocumentPerAsset() throws Exception {
        Path file = f.kickAndTriad("kick120", 12.0);
        Asset first = f.asset(f.account(), file);
        f.publishAsset(first);
        UUID job = f.request(first, StandardAnalyzers.STANDARD_SET.toArray(String[]::new));
        await("job terminal", Duration.ofSeconds(90), () -> !"queued".equals(f.jobStatus(job)) && !"running".equals(f.jobStatus(job)));
        assertThat(f.jobStatus(job)).as("job error: %s", f.scalar("SELECT error FROM jobs WHERE id = ?", job)).isEqualTo("succeeded");
        assertThat(f.count("SELECT count(*) FROM analysis_results WHERE sha256 = ? AND status = 'succeeded' AND analyzer <> 'fingerprint'", first.sha256()))
                .isEqualTo(StandardAnalyzers.STANDARD_SET.size());

        await("search document with tempo", Duration.ofSeconds(30), () -> stored(first.id()) != null && stored(first.id()).tempo() != null);
        SearchDocument doc = stored(first.id());
        assertThat(doc.accountId()).isEqualTo(first.account().toString());
        assertThat(doc.sha256()).isEqualTo(first.sha256());
        assertThat(doc.filename()).isEqualTo("kick120.wav");
        assertThat(doc.duration()).isCloseTo(12.0, within(0.05));
        assertThat(doc.tempo()).isCloseTo(120.0, within(2.0));
        assertThat(doc.integratedLufs()).isNotNull();
        assertThat(doc.key()).isNotNull();
        assertThat(doc.features()).isNotNull();

        Asset second = f.asset(f.account(), file);
        f.publishAsset(second);
        UUID job2 = f.request(second, StandardAnalyzers.STANDARD_SET.toArray(String[]::new));
        await("second job", Duration.ofSeconds(30), () -> "succeeded".equals(f.jobStatus(job2)));
        await("second document", Duration.ofSeconds(30), () -> stored(second.id()) != null && stored(second.id()).tempo() != null);
        SearchDocument doc2 = stored(second.id());
        assertThat(doc2.accountId()).isEqualTo(second.account().toString());
        assertThat(doc2.tempo()).isEqualTo(doc.tempo());
        assertThat(doc2.integratedLufs()).isEqualTo(doc.integratedLufs());
        assertThat(doc2.chords()).isEqualTo(doc.chords());
        assertThat(CountingAnalysis.runsBySha256().get(first.sha256())).as("analyses").isEqualTo(1);
    }

    private static SearchDocument stored(UUID assetId) {
        try {
            ElasticsearchClient c = es.client();
            c.indices().refresh(r -> r.index(index.alias()));
            var got = c.get(g -> g.index(index.alias()).id(assetId.toString()), SearchDocument.class);
            return got.found() ? got.source() : null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
