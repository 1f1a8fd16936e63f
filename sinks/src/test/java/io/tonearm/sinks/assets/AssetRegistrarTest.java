package io.tonearm.sinks.assets;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.events.AudioProbe;
import io.tonearm.events.EventCodec;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Registration outside the API against a real PostgreSQL: one asset per (account, bytes), one request per key; a probe
 * outcome given with the registration settles the row in its transaction, and a failed asset is never requested.
 */
class AssetRegistrarTest {

    private static final List<String> STANDARD = List.of("bpm", "key", "loudness-ebur128");
    private static final AudioInfo WAV = new AudioInfo("wav", "pcm_s16le", 44100, 2, "stereo", 180.5, 1_411_200L);
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
        assertThat(text("SELECT coalesce(payload ->> 'probe', 'none') FROM outbox WHERE payload ->> 'request_id' = ?",
                first.requestedJob().get().toString())).as("nothing probed these bytes yet: the job will").isEqualTo("none");

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

    @Test
    void aProbedAssetIsReadyFromTheTransactionThatCreatesItAndRequested() throws Exception {
        UUID account = account();
        StoredBlob blob = blobs.put(new ByteArrayInputStream(("ready " + account).getBytes(StandardCharsets.UTF_8)), 1 << 20);
        AssetRegistrar.NewAsset a = new AssetRegistrar.NewAsset(account, blob, "file", "a.wav", "audio/wav", "audio",
                Duration.ofDays(7)).probed(ProbeOutcome.ready(WAV));

        AssetRegistrar.Registration r = registrar.registerAndRequest(db, a, AssetRegistrar.current(STANDARD), null);

        assertThat(r.failed()).isEmpty();
        assertThat(r.requestedJob()).isPresent();
        assertThat(text("SELECT concat_ws(' ', status, duration_seconds, container, codec, sample_rate, channels, error_code) "
                + "FROM assets WHERE id = ?", r.asset().assetId())).isEqualTo("ready 180.5 wav pcm_s16le 44100 2");
        // the request carries the whole probe (layout and bit rate too), so the job does not probe the bytes again
        String request = text("SELECT payload::text FROM outbox WHERE payload ->> 'request_id' = ?", r.requestedJob().get().toString());
        assertThat(EventCodec.decodeAnalysisRequested(request.getBytes(StandardCharsets.UTF_8)).probe())
                .isEqualTo(new AudioProbe("wav", "pcm_s16le", 44100, 2, "stereo", 180.5, 1_411_200L));
        Optional<AudioProbe> stored = db.inTransaction(c -> ProbeOutcome.stored(c, r.asset().assetId()));
        assertThat(stored.map(ProbeOutcome::audioInfo)).contains(WAV);
    }

    @Test
    void anUndecodableAssetIsRegisteredFailedAndNothingIsRequestedOrCharged() throws Exception {
        UUID account = account();
        StoredBlob blob = blobs.put(new ByteArrayInputStream(("noise " + account).getBytes(StandardCharsets.UTF_8)), 1 << 20);
        AssetRegistrar.NewAsset a = new AssetRegistrar.NewAsset(account, blob, "file", "a.mp3", "audio/mpeg", "audio",
                Duration.ofDays(7)).probed(ProbeOutcome.failed("undecodable_audio.not_media", "Not audio."));
        AtomicInteger charges = new AtomicInteger();

        AssetRegistrar.Registration r = registrar.registerAndRequest(db, a, AssetRegistrar.current(STANDARD), null,
                (c, job) -> charges.incrementAndGet());

        assertThat(r.asset().created()).isTrue();
        assertThat(r.requestedJob()).isEmpty();
        assertThat(r.failed()).contains(ProbeOutcome.failed("undecodable_audio.not_media", "Not audio."));
        assertThat(charges).as("no job, so nothing to pay").hasValue(0);
        assertThat(text("SELECT concat_ws(' ', status, error_code, error_message) FROM assets WHERE id = ?", r.asset().assetId()))
                .isEqualTo("failed undecodable_audio.not_media Not audio.");
        assertThat(count("SELECT count(*) FROM jobs WHERE account_id = ?", account)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.assets.v1' AND payload ->> 'account_id' = ?",
                account.toString())).as("the asset exists, as an undecodable upload's does").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = 'tonearm.requests.v1' AND payload ->> 'account_id' = ?",
                account.toString())).isZero();
    }

    @Test
    void aProbeSettlesAnAssetLeftProcessingButNeverUndoesASettledOne() throws Exception {
        UUID account = account();
        StoredBlob blob = blobs.put(new ByteArrayInputStream(("later " + account).getBytes(StandardCharsets.UTF_8)), 1 << 20);
        AssetRegistrar.NewAsset unprobed = new AssetRegistrar.NewAsset(account, blob, "upload", "a.wav", "audio/wav",
                "audio", Duration.ofDays(7));
        UUID id = db.inTransaction(c -> registrar.register(c, unprobed)).assetId();
        assertThat(text("SELECT status FROM assets WHERE id = ?", id)).isEqualTo("processing");

        registrar.registerAndRequest(db, unprobed.probed(ProbeOutcome.ready(WAV)), AssetRegistrar.current(STANDARD), "k1");
        assertThat(text("SELECT status || ' ' || duration_seconds FROM assets WHERE id = ?", id)).isEqualTo("ready 180.5");

        // A later probe that met a passing failure (a timeout on a busy machine) leaves the ready asset as it was,
        // and the asset, ready, is requested as usual.
        AssetRegistrar.Registration again = registrar.registerAndRequest(db,
                unprobed.probed(ProbeOutcome.failed("undecodable_audio.timeout", "Too slow.")), AssetRegistrar.current(STANDARD), "k2");
        assertThat(again.failed()).isEmpty();
        assertThat(again.requestedJob()).isPresent();
        assertThat(text("SELECT status || ' ' || duration_seconds || ' ' || coalesce(error_code, '-') FROM assets WHERE id = ?", id))
                .isEqualTo("ready 180.5 -");
    }

    @Test
    void aFailedAssetRegisteredAgainIsStillNotRequestedWhateverTheNewProbeSays() throws Exception {
        UUID account = account();
        StoredBlob blob = blobs.put(new ByteArrayInputStream(("broken " + account).getBytes(StandardCharsets.UTF_8)), 1 << 20);
        AssetRegistrar.NewAsset a = new AssetRegistrar.NewAsset(account, blob, "file", "a.mp3", "audio/mpeg", "audio",
                Duration.ofDays(7));
        registrar.registerAndRequest(db, a.probed(ProbeOutcome.failed("undecodable_audio.corrupt", "Damaged.")),
                AssetRegistrar.current(STANDARD), "k1");

        AssetRegistrar.Registration again = registrar.registerAndRequest(db, a.probed(ProbeOutcome.ready(WAV)),
                AssetRegistrar.current(STANDARD), "k2");

        assertThat(again.asset().created()).isFalse();
        assertThat(again.failed()).as("the row says why: what the API answers 422 with")
                .contains(ProbeOutcome.failed("undecodable_audio.corrupt", "Damaged."));
        assertThat(count("SELECT count(*) FROM jobs WHERE account_id = ?", account)).isZero();
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
