package io.tonearm.sinks.assets;

import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import io.tonearm.sinks.blobs.StoredBlob;
import io.tonearm.sinks.postgres.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registration outside the API against a real PostgreSQL: one asset per (account, bytes), one request per key. */
class AssetRegistrarTest {

    private static final List<String> STANDARD = List.of("bpm", "key", "loudness-ebur128");
    static Database db;
    @TempDir
    static Path blobDir;
    static FileSystemBlobStore blobs;
    static AssetRegistrar registrar;

    @BeforeAll
    static void open() throws Exception {
        PostgresServer pg = LocalStack.shared().postgres();
        db = Database.open(pg.createDatabase("r_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)),
                PostgresServer.SUPERUSER, null, 4);
        blobs = new FileSystemBlobStore(blobDir);
        registrar = new AssetRegistrar(blobs);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void theSameBytesNameTheSameAssetAndAreRequestedOnce() throws Exception {
        UUID account = account();
        StoredBlob blob = blobs.put(new ByteArrayInputStream(("bytes " + account).getBytes(StandardCharsets.UTF_8)), 1 << 20);
        AssetRegistrar.NewAsset a = new AssetRegistrar.NewAsset(account, blob, "file", "a.wav", "audio/wav", "audio", Duration.ofDays(7));

        AssetRegistrar.Registration first = registrar.registerAndRequest(db, a, AssetRegistrar.current(STANDARD), null);
        AssetRegistrar.Registration again = registrar.registerAndRequest(db, a, AssetRegistrar.current(STANDARD), null);

        assertThat(first.asset().created()).isTrue();
        assertThat(first.requestedJob()).isPresent();
        assertThat(again.asset()).isEqualTo(new AssetRegistrar.Registered(first.asset().assetId(), blob.sha256(), false));
        assertThat(again.requestedJob()).as("the request's idempotency key was used").isEmpty();
        assertThat(first.asset().assetId()).isEqualTo(AssetIds.of(account, blob.sha256()));
        assertThat(count("SELECT count(*) FROM assets WHERE account_id = ?", account)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM jobs WHERE account_id = ? AND status = 'queued' AND kind = 'analysis'", account)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.assets.v1' AND payload ->> 'account_id' = ?", account.toString())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1' AND payload ->> 'request_id' = ?",
                first.requestedJob().get().toString())).isEqualTo(1);
        assertThat(text("SELECT payload -> 'analyzers' ->> 0 FROM outbox WHERE payload ->> 'request_id' = ?",
                first.requestedJob().get().toString())).contains("\"name\": \"bpm\"");

        UUID other = account();
        AssetRegistrar.Registration theirs = registrar.registerAndRequest(db,
                new AssetRegistrar.NewAsset(other, blob, "file", "b.wav", "audio/wav", "audio", Duration.ofDays(1)),
                AssetRegistrar.current(STANDARD), null);
        assertThat(theirs.asset().created()).as("another account gets its own asset on the shared blob").isTrue();
        assertThat(theirs.asset().assetId()).isNotEqualTo(first.asset().assetId());
        assertThat(theirs.requestedJob()).isPresent();
        assertThat(count("SELECT count(*) FROM blobs WHERE sha256 = ?", blob.sha256())).isEqualTo(1);
    }

    @Test
    void bytesRemovedBeforeTheRowLockRollBackEverything() throws Exception {
        UUID account = account();
        StoredBlob blob = blobs.put(new ByteArrayInputStream(("gone " + account).getBytes(StandardCharsets.UTF_8)), 1 << 20);
        blobs.delete(blob.sha256());
        AssetRegistrar.NewAsset a = new AssetRegistrar.NewAsset(account, blob, "file", "a.wav", "audio/wav", "audio", Duration.ofDays(7));

        assertThatThrownBy(() -> registrar.registerAndRequest(db, a, AssetRegistrar.current(STANDARD), null))
                .isInstanceOf(AssetRegistrar.BlobVanishedException.class);
        assertThat(count("SELECT count(*) FROM blobs WHERE sha256 = ?", blob.sha256())).isZero();
        assertThat(count("SELECT count(*) FROM jobs WHERE account_id = ?", account)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE payload ->> 'account_id' = ?", account.toString())).isZero();
    }

    private static UUID account() {
        UUID id = UUID.randomUUID();
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, name, plan) VALUES (?, 'catalog', 'pro')")) {
                ps.setObject(1, id);
                return ps.executeUpdate();
            }
        });
        return id;
    }

    private static long count(String sql, Object... args) {
        return Long.parseLong(text(sql, args));
    }

    private static String text(String sql, Object... args) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
