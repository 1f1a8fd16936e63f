package io.tonearm.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that dies at start must fail loudly: which binary, which user, what it printed. */
class ElasticsearchStartFailureTest {

    @Test
    void aLauncherThatExitsFailsWithItsOutputAndLeavesNoDirectory(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("fake-es");
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/elasticsearch.yml"), "");
        Path launcher = Files.createDirectories(home.resolve("bin")).resolve("elasticsearch");
        Files.writeString(launcher, "#!/bin/sh\necho \"fake launcher ran as $(id -un)\"\necho boom >&2\nexit 3\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> ElasticsearchServer.builder().home(home).startTimeout(Duration.ofSeconds(30)).start())
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining(launcher.toString())
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("boom")
                .hasMessageContaining("fake launcher ran as " + (Unix.isRoot() ? ServiceUser.DEFAULT_NAME : ""));
        String mine = "tonearm-elasticsearch-" + ProcessHandle.current().pid() + "-";
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(mine)))
                    .as("the throwaway directory is deleted").isEmpty();
        }
    }
}
