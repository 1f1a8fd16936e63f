package io.tonearm.api.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import io.tonearm.sinks.blobs.FileSystemBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Assets expire per plan; bytes go when no asset references them; a busy asset waits for its jobs. */
class AssetExpiryTest {

    @Test
    void expiredAssetsGoWithTheirEventAndUnreferencedBlobsFollow(@TempDir Path dir) throws Exception {
        try (ApiHarness api = new ApiHarness(dir, c -> c)) {
            String alice = api.newKey(Plan.BASIC);
            String bob = api.newKey(Plan.PRO);
            byte[] shared = ApiHarness.wav(1, 0.3);
            byte[] own = ApiHarness.wav(2, 0.3);
            JsonNode aliceShared = json(api.upload(alice, shared, "audio/wav", null));
            JsonNode aliceOwn = json(api.upload(alice, own, "audio/wav", null));
            JsonNode aliceBusy = json(api.upload(alice, ApiHarness.wav(3, 0.3), "audio/wav", null));
            JsonNode bobShared = json(api.upload(bob, shared, "audio/wav", null));
            api.db.withConnection(c -> {
                try (var ps = c.prepareStatement("INSERT INTO jobs (id, account_id, asset_id, kind, status) "
                        + "SELECT ?, account_id, id, 'key', 'queued' FROM assets WHERE id = ?")) {
                    ps.setObject(1, UUID.randomUUID());
                    ps.setObject(2, UUID.fromString(aliceBusy.get("id").asText()));
                    return ps.executeUpdate();
                }
            });
            api.db.withConnection(c -> c.createStatement().executeUpdate(
                    "UPDATE assets SET expires_at = now() - interval '1 minute' WHERE account_id = (SELECT account_id "
                            + "FROM assets WHERE id = '" + aliceOwn.get("id").asText() + "')"));

            api.server.runHousekeeping();

            assertThat(api.get("/v1/assets/" + aliceShared.get("id").asText(), alice).statusCode()).isEqualTo(404);
            assertThat(api.get("/v1/assets/" + aliceOwn.get("id").asText(), alice).statusCode()).isEqualTo(404);
            assertThat(api.get("/v1/assets/" + aliceBusy.get("id").asText(), alice).statusCode())
                    .as("a queued job keeps its asset").isEqualTo(200);
            assertThat(api.get("/v1/assets/" + bobShared.get("id").asText(), bob).statusCode()).isEqualTo(200);
            assertThat(api.count("SELECT count(*) FROM outbox WHERE payload->>'type' = 'deleted'")).isEqualTo(2);

            FileSystemBlobStore store = new FileSystemBlobStore(dir.resolve("blobs"));
            assertThat(Files.exists(store.pathOf(aliceOwn.get("sha256").asText()))).as("nobody references it").isFalse();
            assertThat(api.count("SELECT count(*) FROM blobs WHERE sha256 = '" + aliceOwn.get("sha256").asText() + "'")).isZero();
            assertThat(Files.exists(store.pathOf(aliceShared.get("sha256").asText()))).as("bob still uses it").isTrue();

            assertThat(api.upload(alice, own, "audio/wav", null).statusCode()).as("the bytes can come back").isEqualTo(201);
            assertThat(Files.exists(store.pathOf(aliceOwn.get("sha256").asText()))).isTrue();
        }
    }
}
