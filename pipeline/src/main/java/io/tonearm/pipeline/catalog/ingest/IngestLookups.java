package io.tonearm.pipeline.catalog.ingest;

import io.tonearm.sinks.postgres.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;

/** What the ingest job asks PostgreSQL before it reads any bytes. */
final class IngestLookups {

    /** Job idempotency keys of ingest commands live in their own namespace, apart from the API's Idempotency-Key. */
    static final String KEY_PREFIX = "tonearm-ingest:";

    enum AccountState { ACTIVE, SUSPENDED, UNKNOWN }

    /** The job an earlier command with the same key made, and its asset. */
    record PriorJob(UUID jobId, UUID assetId, String sha256) {
    }

    private final Database db;

    IngestLookups(Database db) {
        this.db = db;
    }

    AccountState account(UUID id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT suspended_at IS NOT NULL FROM accounts WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next() ? AccountState.UNKNOWN : rs.getBoolean(1) ? AccountState.SUSPENDED : AccountState.ACTIVE;
                }
            }
        });
    }

    Optional<PriorJob> priorJob(UUID account, String idempotencyKey) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, asset_id, sha256 FROM jobs WHERE account_id = ? AND idempotency_key = ?")) {
                ps.setObject(1, account);
                ps.setString(2, jobKey(idempotencyKey));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new PriorJob(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)))
                            : Optional.empty();
                }
            }
        });
    }

    static String jobKey(String idempotencyKey) {
        return KEY_PREFIX + idempotencyKey;
    }
}
