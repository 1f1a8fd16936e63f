package io.tonearm.launcher.up;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tonearm.analysis.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a running {@code tonearm up} can be reached, written to {@code <data-dir>/state.json} (mode 0600) once
 * PostgreSQL is up (then without the other addresses), rewritten once every part is up, deleted when it stops. {@code tonearm keys} reads it to reach the running PostgreSQL.
 *
 * @param pid           the {@code tonearm up} process
 * @param apiUrl        e.g. {@code http://localhost:8080}; null while starting
 * @param jdbcUrl       the database the API uses
 * @param dbUser        its user (null: in the URL)
 * @param kafka         bootstrap servers
 * @param elasticsearch the node's URL
 */
public record StackState(long pid, String apiUrl, String jdbcUrl, String dbUser, String kafka, String elasticsearch) {

    static final String FILE = "state.json";
    private static final ObjectMapper MAPPER = Json.mapper();

    public static Optional<StackState> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void write(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            PrivateFiles.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
