package io.tonearm.pipeline.analysis.coordinator;

import io.tonearm.sinks.postgres.BlobLocations;
import io.tonearm.sinks.postgres.PostgresConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Finds a blob's location when a request arrives before the asset event that carries it (the two travel on
 * different topics and may be consumed in either order). Decision: ask PostgreSQL's {@code blobs} table, which
 * the API commits before publishing either event; when even that has no row (another producer, replication lag),
 * the coordinator parks the request in keyed state and retries on a timer until the asset event or the row
 * appears, then fails the job after a deadline.
 */
public interface BlobLookup extends Serializable, AutoCloseable {

    Optional<String> locate(String sha256);

    @Override
    default void close() {
    }

    /** No lookup: only asset events give locations. */
    static BlobLookup none() {
        return sha256 -> Optional.empty();
    }

    static BlobLookup postgres(PostgresConnection pg) {
        return new Postgres(pg);
    }

    /** One connection per task, opened on first use and reopened after a failure. */
    final class Postgres implements BlobLookup {
        private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);
        private final PostgresConnection pg;
        private transient Connection connection;

        Postgres(PostgresConnection pg) {
            this.pg = pg;
        }

        @Override
        public Optional<String> locate(String sha256) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    if (connection == null || connection.isClosed()) connection = pg.open();
                    return BlobLocations.find(connection, sha256);
                } catch (SQLException e) {
                    LOG.warn("blob lookup for {} failed (attempt {}): {}", sha256, attempt + 1, e.getMessage());
                    close();
                }
            }
            return Optional.empty();
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
    }
}
