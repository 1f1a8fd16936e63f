package io.tonearm.launcher.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tonearm.analysis.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What earlier runs uploaded, so that a run after an interruption skips those files: one JSON line per uploaded
 * file, keyed by path + size + modification time (a changed file is uploaded again). Appended and flushed as each
 * upload completes, so a killed run loses at most the uploads in flight; a torn last line is ignored. A file's
 * line is written again with each analysis job requested for it (the last line of a file wins), so a rerun waits
 * for those jobs instead of requesting them again.
 */
final class IngestState implements AutoCloseable {

    /** {@code jobs}: endpoint → job id of the analyses requested for this file (null in lines of older runs). */
    record Entry(String path, long size, long mtimeMillis, String sha256, String assetId, Map<String, String> jobs) {
        Entry(String path, long size, long mtimeMillis, String sha256, String assetId) {
            this(path, size, mtimeMillis, sha256, assetId, Map.of());
        }

        Entry {
            jobs = jobs == null ? Map.of() : Map.copyOf(jobs);
        }

        String key() {
            return IngestState.key(path, size, mtimeMillis);
        }

        Entry withJob(String endpoint, String jobId) {
            Map<String, String> more = new java.util.TreeMap<>(jobs);
            more.put(endpoint, jobId);
            return new Entry(path, size, mtimeMillis, sha256, assetId, more);
        }
    }

    private static final ObjectMapper MAPPER = Json.mapper();
    private final Map<String, Entry> entries = new HashMap<>();
    private final BufferedWriter writer;

    private IngestState(BufferedWriter writer) {
        this.writer = writer;
    }

    static IngestState open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<String, Entry> loaded = new HashMap<>();
        if (Files.isRegularFile(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Entry e = MAPPER.readValue(line, Entry.class);
                    loaded.put(e.key(), e);
                } catch (IOException torn) {
                    // the last line of a run killed mid-write
                }
            }
        }
        IngestState state = new IngestState(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        state.entries.putAll(loaded);
        return state;
    }

    static String key(String absolutePath, long size, long mtimeMillis) {
        return absolutePath + "\u0000" + size + "\u0000" + mtimeMillis;
    }

    synchronized Optional<Entry> find(String absolutePath, long size, long mtimeMillis) {
        return Optional.ofNullable(entries.get(key(absolutePath, size, mtimeMillis)));
    }

    synchronized void record(Entry entry) {
        try {
            writer.write(MAPPER.writeValueAsString(entry));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ingest state", e);
        }
        entries.put(entry.key(), entry);
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }
}
