package io.tonearm.sinks.postgres.fingerprint;

import io.tonearm.analysis.fingerprint.CatalogSynth;
import io.tonearm.analysis.fingerprint.Degradations;
import io.tonearm.analysis.fingerprint.LandmarkFormat;
import io.tonearm.analysis.fingerprint.Landmarks;
import io.tonearm.analysis.fingerprint.Matcher;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migration V10 on a database that V7 filled: the SQL conversion yields byte for byte what {@link PackedLandmarks}
 * writes, every excerpt matches as it did before, near-duplicate pairs and landmark-less recordings survive, and a
 * conversion that fails leaves V7 as it was and completes on the next start (also with two replicas starting at
 * once). Prints the storage per track before and after, measured in the same run.
 */
class FingerprintMigrationTest {

    private static final int TRACKS = 10;
    /** Repeated (hash, time) pairs, negative hashes, times that take 1 to 5 varint bytes. */
    private static final Landmarks EDGES = new Landmarks(
            new int[]{5, 5, 5, 9, -7, 1, 5, 9, 9},
            new int[]{10, 10, 3, 10, 300_000, 1_073_741_823, 70, 8_000, 2_000_000}, 2_000_001);
    static final List<Landmarks> catalog = new ArrayList<>();

    @BeforeAll
    static void fingerprint() {
        for (int t = 0; t < TRACKS; t++) catalog.add(Degradations.fingerprint(LandmarkFormat.V1, CatalogSynth.track(3000 + t, 50 + 5 * t), Map.of())); // V7 held version 1
    }

    @Test
    void convertsV7RowsToThePackedRowsAndEveryExcerptStillMatches() throws Exception {
        String url = v8Database();
        List<Landmarks> excerpts = new ArrayList<>();
        for (Landmarks l : catalog) excerpts.add(l.slice(400, 830)); // 10 s
        long v7Bytes;
        List<Matcher.Match> before = new ArrayList<>();
        try (Connection c = connect(url)) {
            for (int t = 0; t < TRACKS; t++) V7Layout.write(c, sha(t), catalog.get(t));
            V7Layout.write(c, sha(99), new Landmarks(new int[0], new int[0], 500)); // silence
            V7Layout.write(c, sha(98), EDGES);
            execute(c, """
                    INSERT INTO fingerprint_near_duplicates (recording_id, duplicate_id, score, ratio, offset_seconds)
                    SELECT a.id, b.id, 500, 0.6, 0.01 FROM fingerprint_recordings a, fingerprint_recordings b
                    WHERE a.sha256 = '%s' AND b.sha256 = '%s'""".formatted(sha(1), sha(2)));
            v7Bytes = tableBytes(c, "fingerprint_landmarks") + tableBytes(c, "fingerprint_recordings");
            for (Landmarks q : excerpts) before.add(Matcher.standard().match(q, V7Layout.index(c), 1).get(0));
        }

        long t0 = System.nanoTime();
        try (Database db = Database.open(url, PostgresServer.SUPERUSER, null, 2)) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            long landmarks = catalog.stream().mapToLong(Landmarks::count).sum();
            db.withConnection(c -> {
                assertThat(scalar(c, "SELECT to_regclass('fingerprint_landmarks')::text")).isNull();
                for (int t = 0; t < TRACKS; t++) {
                    PackedLandmarks expected = PackedLandmarks.pack(catalog.get(t));
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT hashes, landmark_times, landmark_count FROM fingerprint_recordings WHERE sha256 = ?")) {
                        ps.setString(1, sha(t));
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            PackedLandmarks converted = PackedLandmarks.read(rs, 1);
                            assertThat(converted.hashes()).as("hashes of track %d", t).isEqualTo(expected.hashes());
                            assertThat(converted.packedTimes()).as("times of track %d", t).isEqualTo(expected.packedTimes());
                            assertThat(rs.getInt(3)).isEqualTo(catalog.get(t).count());
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT hashes, landmark_times FROM fingerprint_recordings WHERE sha256 = ?")) {
                    ps.setString(1, sha(98));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        PackedLandmarks edges = PackedLandmarks.read(rs, 1);
                        assertThat(edges.hashes()).isEqualTo(PackedLandmarks.pack(EDGES).hashes());
                        assertThat(edges.packedTimes()).isEqualTo(PackedLandmarks.pack(EDGES).packedTimes());
                    }
                }
                assertThat(FingerprintRepository.landmarks(c, sha(99))).get().satisfies(l -> {
                    assertThat(l.count()).isZero();
                    assertThat(l.frames()).isEqualTo(500);
                });
                assertThat(scalar(c, "SELECT count(*) FROM fingerprint_near_duplicates")).isEqualTo("1");
                for (int t = 0; t < TRACKS; t++) {
                    Matcher.Match after = Matcher.standard().match(excerpts.get(t),
                            new PostgresFingerprintIndex(c, PostgresFingerprintIndex.Scope.ALL), 1).get(0);
                    assertThat(after).as("excerpt of track %d", t).isEqualTo(before.get(t));
                    assertThat(after.recordingId()).isEqualTo(sha(t));
                }
                execute(c, "VACUUM ANALYZE fingerprint_recordings");
                long v10Bytes = tableBytes(c, "fingerprint_recordings");
                System.out.printf("V7 → V10 on %d tracks (%d landmarks): %.0f kB → %.0f kB per track (%.1fx smaller; "
                                + "a small catalog: its GIN keys are mostly its own), converted in %.2f s%n",
                        TRACKS, landmarks, v7Bytes / 1024.0 / (TRACKS + 2), v10Bytes / 1024.0 / (TRACKS + 2),
                        v7Bytes / (double) v10Bytes, seconds);
                assertThat(v10Bytes).isLessThan(v7Bytes / 2);
                return null;
            });
        }
    }

    @Test
    void aFailedConversionLeavesV7IntactAndCompletesOnTheNextStartEvenWithTwoReplicas() throws Exception {
        String url = v8Database();
        try (Connection c = connect(url)) {
            for (int t = 0; t < 3; t++) V7Layout.write(c, sha(t), catalog.get(t));
            // occupies the name of V10's last statement, the GIN index, so the conversion fails at its very end
            execute(c, "CREATE TABLE fingerprint_recordings_hashes (x int)");
        }
        assertThatThrownBy(() -> Database.open(url, PostgresServer.SUPERUSER, null, 2).close())
                .hasStackTraceContaining("fingerprint_recordings_hashes");
        long rows = catalog.subList(0, 3).stream().mapToLong(Landmarks::count).sum();
        try (Connection c = connect(url)) {
            assertThat(scalar(c, "SELECT count(*) FROM fingerprint_landmarks")).isEqualTo(Long.toString(rows));
            assertThat(scalar(c, "SELECT count(*) FROM information_schema.columns "
                    + "WHERE table_name = 'fingerprint_recordings' AND column_name = 'hashes'")).isEqualTo("0");
            execute(c, "DROP TABLE fingerprint_recordings_hashes");
        }

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> Database.open(url, PostgresServer.SUPERUSER, null, 2).close());
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> Database.open(url, PostgresServer.SUPERUSER, null, 2).close());
        first.get();
        second.get();
        try (Connection c = connect(url)) {
            assertThat(scalar(c, "SELECT count(*) FROM flyway_schema_history WHERE version = '10' AND success")).isEqualTo("1");
            for (int t = 0; t < 3; t++) {
                Landmarks converted = FingerprintRepository.landmarks(c, sha(t)).orElseThrow();
                assertThat(PackedLandmarks.pack(converted).packedTimes()).isEqualTo(PackedLandmarks.pack(catalog.get(t)).packedTimes());
            }
        }
    }

    private static String v8Database() {
        PostgresServer server = LocalStack.shared().postgres();
        String url = server.createDatabase("fm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        V7Layout.migrateToV8(url, PostgresServer.SUPERUSER);
        return url;
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, PostgresServer.SUPERUSER, null);
    }

    private static long tableBytes(Connection c, String table) throws SQLException {
        execute(c, "VACUUM ANALYZE " + table);
        return Long.parseLong(scalar(c, "SELECT pg_total_relation_size('" + table + "')"));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String sha(int n) {
        return PostgresFingerprintIndexTest.sha(50_000 + n);
    }
}
