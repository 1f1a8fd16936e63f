package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.sinks.blobs.BlobStore;
import io.tonearm.sinks.postgres.BlobLocations;
import io.tonearm.sinks.postgres.PostgresConnection;
import io.tonearm.sinks.postgres.ResultRepository;
import io.tonearm.sinks.postgres.StoredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What PostgreSQL knows about a recording, for the cases keyed state cannot answer:
 * <ul>
 *   <li>{@link #blobLocation}: a request arrived before the asset event that carries the location (the two
 *       travel on different topics). The API commits the {@code blobs} row before publishing either event. When even
 *       that has no row, the coordinator parks the request and retries on a timer until a deadline.</li>
 *   <li>{@link #storedResults}: the recording's state is gone (TTL expired, a deployment without a savepoint) or a
 *       result was written by an epoch that a failover rolled back. Stored results are taken as they are, so a
 *       result is computed at most once even then.</li>
 * </ul>
 * A failed lookup (database down) answers "nothing known": the request then waits or is analyzed, never lost.
 */
public interface CatalogLookup extends Serializable, AutoCloseable {

    Optional<String> blobLocation(String sha256);

    List<StoredResult> storedResults(String sha256);

    /**
     * Another recording's bytes as a local file (e.g. a mastering reference), fetched through {@code store} when its
     * location is not local; empty when the catalog does not know it or it cannot be read (logged).
     */
    default Optional<Path> localFile(String sha256, BlobStore store) {
        Optional<String> location = blobLocation(sha256);
        if (location.isEmpty()) return Optional.empty();
        try {
            return Optional.of(BlobPaths.toPath(location.get(), sha256, store));
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(CatalogLookup.class).warn("recording {} is not readable: {}", sha256, e.toString());
            return Optional.empty();
        }
    }

    @Override
    default void close() {
    }

    /** No lookups: only asset events give locations, only state knows results. */
    static CatalogLookup none() {
        return new None();
    }

    static CatalogLookup postgres(PostgresConnection pg) {
        return new Postgres(pg);
    }

    final class None implements CatalogLookup {
        @Override
        public Optional<String> blobLocation(String sha256) {
            return Optional.empty();
        }

        @Override
        public List<StoredResult> storedResults(String sha256) {
            return List.of();
        }
    }

    /** One connection per task, opened on first use and reopened after a failure. */
    final class Postgres implements CatalogLookup {
        private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);
        private final PostgresConnection pg;
        private transient Connection connection;

        Postgres(PostgresConnection pg) {
            this.pg = pg;
        }

        @Override
        public Optional<String> blobLocation(String sha256) {
            return query(sha256, c -> BlobLocations.find(c, sha256), Optional.empty());
        }

        @Override
        public List<StoredResult> storedResults(String sha256) {
            return query(sha256, c -> ResultRepository.bySha256(c, sha256), List.of());
        }

        private <T> T query(String sha256, Query<T> query, T nothing) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    if (connection == null || connection.isClosed()) connection = pg.open();
                    return query.run(connection);
                } catch (SQLException e) {
                    LOG.warn("catalog lookup for {} failed (attempt {}): {}", sha256, attempt + 1, e.getMessage());
                    close();
                }
            }
            return nothing;
        }

        @Override
        public void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // closing a broken connection
                }
                connection = null;
            }
        }

        private interface Query<T> {
            T run(Connection c) throws SQLException;
        }
    }
}
