package io.tonearm.sinks.assets;

import io.tonearm.analysis.decode.AudioInfo;
import io.tonearm.analysis.decode.DecodeError;
import io.tonearm.analysis.decode.DecodeException;
import io.tonearm.analysis.decode.Decoder;
import io.tonearm.events.AudioProbe;
import io.tonearm.events.EventCodec;
import io.tonearm.sinks.blobs.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What probing an asset's bytes found, and how that settles its row: {@code ready} with the stream's duration,
 * container, codec, sample rate and channels, or {@code failed} with a stable code ({@code undecodable_audio.<reason>}
 * from the decoder, {@code internal_error} for a bug) and a human message. The one place that maps a probe to an asset
 * row, for the API's uploads ({@code AssetProber}) and the pipeline's registrations ({@link AssetRegistrar}) alike.
 *
 * @param info         what the probe read; null when it failed
 * @param errorCode    why it failed; null when ready
 * @param errorMessage the reason for people; null when ready
 */
public record ProbeOutcome(AudioInfo info, String errorCode, String errorMessage) {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeOutcome.class);

    public ProbeOutcome {
        if ((info == null) == (errorCode == null)) {
            throw new IllegalArgumentException("a probe outcome is either ready (info) or failed (error code)");
        }
    }

    public static ProbeOutcome ready(AudioInfo info) {
        return new ProbeOutcome(Objects.requireNonNull(info, "info"), null, null);
    }

    public static ProbeOutcome failed(String code, String message) {
        return new ProbeOutcome(null, Objects.requireNonNull(code, "code"), message);
    }

    /**
     * Probes the blob's local copy (the file itself in a directory store; in an S3 store the copy its cache keeps,
     * which a {@code put} on this machine has just left there, else a download). Never throws: whatever goes wrong is
     * a failed outcome, so no caller (an upload, a Flink task) fails with the probe.
     */
    public static ProbeOutcome probe(Decoder decoder, BlobStore blobs, String sha256) {
        try {
            return ready(decoder.probe(blobs.localFile(sha256)));
        } catch (DecodeException e) {
            return failed(code(e.error()), e.getMessage());
        } catch (IOException e) {
            return failed(code(DecodeError.IO), "blob unreadable: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("probe of blob {} failed unexpectedly", sha256, e);
            return failed("internal_error", "probe failed: " + e.getClass().getSimpleName());
        }
    }

    /** The asset error code of a decoder error, as clients see it on the asset and in 422 answers. */
    public static String code(DecodeError error) {
        return "undecodable_audio." + error.code();
    }

    /** The failure an asset's row holds when its status is {@code failed}; empty for any other status. */
    public static Optional<ProbeOutcome> failureOf(Connection c, UUID assetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(error_code, 'undecodable_audio'), error_message "
                + "FROM assets WHERE id = ? AND status = 'failed'")) {
            ps.setObject(1, assetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(failed(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /**
     * The probe a ready asset's row keeps, in the form an analysis request carries it; empty while the asset is not
     * ready or was probed before rows kept it (V13): the job then probes the bytes itself.
     */
    public static Optional<AudioProbe> stored(Connection c, UUID assetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT probe::text FROM assets WHERE id = ? AND status = 'ready' "
                + "AND probe IS NOT NULL")) {
            ps.setObject(1, assetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(EventCodec.decodeAudioProbe(rs.getString(1).getBytes(StandardCharsets.UTF_8)))
                        : Optional.empty();
            }
        }
    }

    /** A probe as requests carry it. */
    public static AudioProbe carried(AudioInfo info) {
        return new AudioProbe(info.container(), info.codec(), info.sampleRate(), info.channels(), info.channelLayout(),
                info.durationSeconds(), info.bitRate());
    }

    /** What a carried probe says, for the decoder; null for none. */
    public static AudioInfo audioInfo(AudioProbe probe) {
        return probe == null ? null : new AudioInfo(probe.container(), probe.codec(), probe.sampleRate(), probe.channels(),
                probe.channelLayout(), probe.durationSeconds(), probe.bitRate());
    }

    public boolean isReady() {
        return info != null;
    }

    /**
     * Writes the outcome to the asset's row while it is still {@code processing}, in the caller's transaction; a row a
     * probe has already settled keeps what it says (two probes of the same bytes agree, unless one met a passing
     * failure such as a timeout on a busy machine, which must not undo a success).
     *
     * @return whether the row was settled now
     */
    public boolean settle(Connection c, UUID assetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(isReady()
                ? "UPDATE assets SET status = 'ready', error_code = NULL, error_message = NULL, duration_seconds = ?, "
                + "container = ?, codec = ?, sample_rate = ?, channels = ?, probe = ?::jsonb, updated_at = now() "
                + "WHERE id = ? AND status = 'processing'"
                : "UPDATE assets SET status = 'failed', error_code = ?, error_message = ?, updated_at = now() "
                + "WHERE id = ? AND status = 'processing'")) {
            if (isReady()) {
                if (info.durationSeconds() == null) {
                    ps.setNull(1, Types.DOUBLE);
                } else {
                    ps.setDouble(1, info.durationSeconds());
                }
                ps.setString(2, info.container());
                ps.setString(3, info.codec());
                ps.setInt(4, info.sampleRate());
                ps.setInt(5, info.channels());
                ps.setString(6, EventCodec.encodeToString(carried(info)));
                ps.setObject(7, assetId);
            } else {
                ps.setString(1, errorCode);
                ps.setString(2, errorMessage);
                ps.setObject(3, assetId);
            }
            return ps.executeUpdate() == 1;
        }
    }
}
