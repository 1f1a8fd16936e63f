package io.tonearm.launcher.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scan: audio extensions only, magic bytes checked, hidden entries skipped, stable order. */
class AudioFilesTest {

    @TempDir
    Path dir;

    @Test
    void findsAudioByExtensionAndChecksItsFirstBytes() throws Exception {
        write("b/track.flac", bytes("fLaC", 40));
        write("a.mp3", new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0});
        write("raw.mp3", new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0, 0});
        write("song.m4a", concat(new byte[] {0, 0, 0, 0x20}, bytes("ftypM4A ", 8)));
        write("take.wav", concat(bytes("RIFF", 4), new byte[] {0, 0, 0, 0}, bytes("WAVE", 4)));
        write("misnamed.wav", bytes("<html>", 30));
        write("tiny.ogg", new byte[] {'O', 'g'});
        write("notes.txt", bytes("RIFF", 4));
        write(".hidden/x.wav", concat(bytes("RIFF", 4), new byte[4], bytes("WAVE", 4)));
        write(".DS_Store.wav", concat(bytes("RIFF", 4), new byte[4], bytes("WAVE", 4)));

        List<AudioFiles.Found> found = AudioFiles.scan(dir);

        assertThat(found).extracting(AudioFiles.Found::relative)
                .containsExactly("a.mp3", "b/track.flac", "misnamed.wav", "raw.mp3", "song.m4a", "take.wav", "tiny.ogg");
        assertThat(found).filteredOn(f -> !f.audio()).extracting(AudioFiles.Found::relative)
                .containsExactlyInAnyOrder("misnamed.wav", "tiny.ogg");
        assertThat(found).filteredOn(f -> f.relative().equals("b/track.flac")).singleElement()
                .satisfies(f -> assertThat(f.contentType()).isEqualTo("audio/flac"));
    }

    @Test
    void stateSurvivesATornLastLineAndKeysOnSizeAndMtime() throws Exception {
        Path file = dir.resolve("state.jsonl");
        try (IngestState state = IngestState.open(file)) {
            state.record(new IngestState.Entry("/music/a.wav", 100, 1000, "aa", "id-a"));
        }
        Files.writeString(file, Files.readString(file) + "{\"path\":\"/music/b.w", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        try (IngestState state = IngestState.open(file)) {
            assertThat(state.find("/music/a.wav", 100, 1000)).get().extracting(IngestState.Entry::assetId).isEqualTo("id-a");
            assertThat(state.find("/music/a.wav", 101, 1000)).isEmpty(); // changed size: upload again
            assertThat(state.find("/music/a.wav", 100, 2000)).isEmpty(); // touched: upload again
        }
    }

    @Test
    void stateRemembersTheJobsOfAFileAndOlderLinesWithoutJobsStillRead() throws Exception {
        Path file = dir.resolve("state.jsonl");
        Files.writeString(file, "{\"path\":\"/music/old.wav\",\"size\":5,\"mtime_millis\":7,\"sha256\":\"cc\",\"asset_id\":\"id-old\"}\n");
        try (IngestState state = IngestState.open(file)) {
            IngestState.Entry a = new IngestState.Entry("/music/a.wav", 100, 1000, "aa", "id-a");
            state.record(a);
            state.record(a.withJob("bpm", "job-1"));
            state.record(a.withJob("bpm", "job-1").withJob("lufs", "job-2"));
        }
        try (IngestState state = IngestState.open(file)) {
            assertThat(state.find("/music/a.wav", 100, 1000)).get().extracting(IngestState.Entry::jobs)
                    .isEqualTo(java.util.Map.of("bpm", "job-1", "lufs", "job-2"));
            assertThat(state.find("/music/old.wav", 5, 7)).get().satisfies(e -> {
                assertThat(e.assetId()).isEqualTo("id-old");
                assertThat(e.jobs()).isEmpty();
            });
        }
    }

    private void write(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
    }

    private static byte[] bytes(String ascii, int length) {
        byte[] b = new byte[Math.max(length, ascii.length())];
        System.arraycopy(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, ascii.length());
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
