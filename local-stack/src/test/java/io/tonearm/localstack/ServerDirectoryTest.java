package io.tonearm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerDirectoryTest {

    @Test
    void aThrowawayDirectoryLeftByADeadJvmIsSweptAndStoppedFirst() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path stale = Files.createDirectories(tmp.resolve("tonearm-sweeptest-" + gone.pid() + "-42"));
        Files.writeString(stale.resolve("data"), "left behind");
        Path live = Files.createDirectories(tmp.resolve("tonearm-sweeptest-" + ProcessHandle.current().pid() + "-43"));
        List<Path> stopped = new ArrayList<>();

        ServerDirectory fresh = ServerDirectory.persistentOrThrowaway(null, "sweeptest", stopped::add);
        try {
            assertThat(stopped).containsExactly(stale);
            assertThat(stale).doesNotExist();
            assertThat(live).as("a live JVM's directory stays").isDirectory();
            assertThat(fresh.path().getFileName().toString()).startsWith("tonearm-sweeptest-" + ProcessHandle.current().pid() + "-");
        } finally {
            fresh.release();
            ServerDirectory.deleteRecursively(live);
        }
        assertThat(fresh.path()).doesNotExist();
    }

    @Test
    void aPersistentDirectoryIsKept(@org.junit.jupiter.api.io.TempDir Path dir) {
        ServerDirectory persistent = ServerDirectory.persistentOrThrowaway(dir.resolve("pg"), "sweeptest");
        persistent.release();
        assertThat(dir.resolve("pg")).isDirectory();
    }
}
