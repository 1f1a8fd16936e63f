package io.tonearm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalStackTest {

    @Test
    void everyCallerGetsTheSameRunningServers() throws Exception {
        LocalStack stack = LocalStack.shared();
        assertThat(LocalStack.shared()).isSameAs(stack);
        assertThat(stack.postgres()).isSameAs(stack.postgres());
        assertThat(stack.kafka()).isSameAs(stack.kafka());

        try (Connection c = DriverManager.getConnection(stack.postgres().createDatabase("shared_check"));
             Statement s = c.createStatement();
             ResultSet one = s.executeQuery("SELECT 1")) {
            assertThat(one.next()).isTrue();
        }
        stack.kafka().createTopics(1, "shared-check");
        assertThat(stack.kafka().admin().listTopics().names().get(30, TimeUnit.SECONDS)).contains("shared-check");
    }

    @Test
    void theElasticsearchHomeIsFoundFromTheReactorRoot() {
        assertThat(ElasticsearchHome.locate().resolve("bin/elasticsearch")).isExecutable();
        assertThat(ElasticsearchHome.locate().getFileName().toString()).isEqualTo("elasticsearch-" + ElasticsearchHome.version());
    }
}
