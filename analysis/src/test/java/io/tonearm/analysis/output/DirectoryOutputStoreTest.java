package io.tonearm.analysis.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryOutputStoreTest {

    @TempDir
    Path dir;

    private OutputRef write(OutputStore store, String name, String text) throws Exception {
        try (OutputStore.Output out = store.create(name, "text/plain")) {
            out.stream().write(text.getBytes(StandardCharsets.UTF_8));
            return out.finish();
        }
    }

    @Test
    void storesByContentAndOnlyOnce() throws Exception {
        DirectoryOutputStore store = new DirectoryOutputStore(dir);
        OutputRef a = write(store, "notes.mid", "hello");
        OutputRef b = write(store, "again.mid", "hello");
        assertThat(a.sha256()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(a.location()).isEqualTo(b.location());
        assertThat(a.sizeBytes()).isEqualTo(5);
        Path stored = Path.of(URI.create(a.location()));
        assertThat(stored.getFileName().toString()).isEqualTo(a.sha256() + ".mid");
        assertThat(Files.readString(stored)).isEqualTo("hello");
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void closingWithoutFinishingLeavesNothing() throws Exception {
        DirectoryOutputStore store = new DirectoryOutputStore(dir);
        try (OutputStore.Output out = store.create("stem.wav", "audio/wav")) {
            out.stream().write(new byte[1000]);
        }
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).count()).isZero();
        }
    }

    @Test
    void noneRefusesWithAReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputStore.NONE.create("x.mid", "audio/midi"))
                .hasMessageContaining("keeps no output files");
    }
}
