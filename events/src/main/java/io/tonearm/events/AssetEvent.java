package io.tonearm.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An account created or deleted its handle (an asset) on a content-addressed blob. Published on
 * {@link Topics#ASSETS} keyed by {@link #sha256()}.
 *
 * @param version      schema version of this record; consumers reject versions they do not know
 * @param eventId      stable id of this event: a consumer that sees the same id twice must treat it once
 * @param type         what happened
 * @param accountId    the account owning the asset
 * @param assetId      the asset (stable for account and sha256)
 * @param sha256       hex SHA-256 of the bytes; the record key
 * @param blobLocation where the bytes are (e.g. {@code file:///data/blobs/ab/cd/abcd…} or {@code s3://…})
 * @param filename     the client's file name, may be null
 * @param contentType  the declared media type
 * @param sizeBytes    size of the blob
 * @param occurredAt   when the API committed the change
 */
public record AssetEvent(int version, UUID eventId, Type type, UUID accountId, UUID assetId, String sha256,
                         String blobLocation, String filename, String contentType, long sizeBytes,
                         Instant occurredAt) {

    public static final int CURRENT_VERSION = 1;

    /** On the wire in lower case. */
    public enum Type {
        @JsonProperty("created") CREATED,
        @JsonProperty("deleted") DELETED
    }

    public AssetEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** The Kafka record key. */
    public String key() {
        return sha256;
    }
}
