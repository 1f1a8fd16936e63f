package io.tonearm.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @Test
    void aRowSurvivesARestartOnTheSamePersistentDirectory(@TempDir Path dir) throws SQLException {
        try (PostgresServer first = PostgresServer.builder().directory(dir).start()) {
            String url = first.createDatabase("catalog");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE recording (id bigint PRIMARY KEY, title text NOT NULL)");
                s.execute("INSERT INTO recording VALUES (1, 'Blue in Green')");
                assertThat(titleOf(s, 1)).isEqualTo("Blue in Green");
            }
            assertThat(first.createDatabase("catalog")).as("creating again is harmless").isEqualTo(url);
        }
        assertThat(dir.resolve("pgdata")).as("persistent data stays after close").isDirectory();

        try (PostgresServer second = PostgresServer.builder().directory(dir).start();
             Connection c = DriverManager.getConnection(second.jdbcUrl("catalog"));
             Statement s = c.createStatement()) {
            assertThat(titleOf(s, 1)).isEqualTo("Blue in Green");
            assertThat(setting(s, "fsync")).as("a persistent directory is written durably").isEqualTo("on");
        }
    }

    @Test
    void aThrowawayServerDeletesItsDataOnClose() throws SQLException {
        Path data;
        try (PostgresServer server = PostgresServer.startThrowaway();
             Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"));
             Statement s = c.createStatement();
             ResultSet version = s.executeQuery("SHOW server_version")) {
            data = server.dataDirectory();
            assertThat(version.next()).isTrue();
            assertThat(version.getString(1)).startsWith("18.");
            assertThat(data).isDirectory();
        }
        assertThat(Files.exists(data)).isFalse();
    }

    private static String setting(Statement s, String name) throws SQLException {
        try (ResultSet rows = s.executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String titleOf(Statement s, long id) throws SQLException {
        try (ResultSet rows = s.executeQuery("SELECT title FROM recording WHERE id = " + id)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
