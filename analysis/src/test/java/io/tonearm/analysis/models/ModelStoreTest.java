package io.tonearm.analysis.models;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ModelStoreTest {

    @Test
    void withoutADirectoryTheMessageSaysWhatToConfigureAndWhatToPutThere() {
        ModelStore store = new ModelStore(null);

        assertThat(store.isAvailable(Model.BEATNET)).isFalse();
        assertThatThrownBy(() -> store.session(Model.BEATNET))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining(ModelStore.DIR_PROPERTY)
                .hasMessageContaining(ModelStore.DIR_ENV)
                .hasMessageContaining("beatnet/beatnet-model1.onnx")
                .hasMessageContaining("CC BY 4.0");
    }

    @Test
    void aMissingFileIsNamedWithItsFullPath(@TempDir Path dir) {
        ModelStore store = new ModelStore(dir);

        assertThatThrownBy(() -> store.locate(Model.KEYNET))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining(dir.resolve("musical-key-cnn").resolve("keynet.onnx").toString());
    }

    @Test
    void aCorruptFileFailsToLoadWithItsPath(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("silero-vad"));
        Files.writeString(dir.resolve("silero-vad/silero_vad.onnx"), "not a model");
        ModelStore store = new ModelStore(dir);

        assertThat(store.isAvailable(Model.SILERO_VAD)).isTrue();
        assertThatThrownBy(() -> store.session(Model.SILERO_VAD))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("cannot load model");
    }

    @Test
    void theDirectoryComesFromTheSystemProperty() {
        String before = System.getProperty(ModelStore.DIR_PROPERTY);
        try {
            System.setProperty(ModelStore.DIR_PROPERTY, "/opt/tonearm/models ");
            assertThat(ModelStore.configuredDir()).contains(Path.of("/opt/tonearm/models"));
        } finally {
            if (before == null) System.clearProperty(ModelStore.DIR_PROPERTY);
            else System.setProperty(ModelStore.DIR_PROPERTY, before);
        }
    }

    @Test
    void oneSessionPerModelEvenUnderConcurrentFirstUse() throws Exception {
        String shared = System.getProperty("tonearm.shared.dir");
        assumeTrue(shared != null && Files.isRegularFile(Path.of(shared, "models", Model.CREPE_TINY.relativePath())),
                "no shared crepe-tiny model");
        ModelStore store = new ModelStore(Path.of(shared, "models"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<OrtSession>> sessions = new ArrayList<>();
            for (int i = 0; i < 4; i++) sessions.add(pool.submit(() -> store.session(Model.CREPE_TINY)));
            OrtSession first = sessions.get(0).get();
            for (Future<OrtSession> s : sessions) assertThat(s.get()).isSameAs(first);
            assertThat(first.getInputNames()).containsExactly("frames");
        } finally {
            pool.shutdownNow();
        }
    }
}
