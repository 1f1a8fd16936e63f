package io.tonearm.k8s;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlFilesTest {

    @Test
    void everyYamlFileUnderK8sParses() throws Exception {
        List<Path> files = Manifests.yamlFiles();
        assertThat(files).as("YAML files under k8s/").hasSizeGreaterThan(20);
        for (Path f : files) {
            assertThat(Manifests.documents(Files.readString(f))).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void aBrokenDocumentFailsToParse() {
        assertThatThrownBy(() -> Manifests.documents("kind: Service\nmetadata:\n  name: [unclosed\n"))
                .hasMessageContaining("unclosed");
    }
}
