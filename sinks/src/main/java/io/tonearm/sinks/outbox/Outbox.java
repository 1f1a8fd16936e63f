package io.tonearm.sinks.outbox;

import io.tonearm.events.EventCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Appends an event to the outbox inside the caller's transaction, so the event exists exactly when the row it
 * announces does; the API's outbox relay publishes it, woken at the commit through {@link #CHANNEL}.
 */
public final class Outbox {

    /** The channel the V11 trigger NOTIFYs (empty payload) when a transaction that inserted outbox rows commits. */
    public static final String CHANNEL = "tonearm_outbox";

    /** @return the outbox id (also sent to Kafka as a header) */
    public long append(Connection c, String topic, String key, Object event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO outbox (topic, key, payload) VALUES (?, ?, ?::jsonb) RETURNING id")) {
            ps.setString(1, topic);
            ps.setString(2, key);
            ps.setString(3, EventCodec.encodeToString(event));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
