package io.tonearm.api.renditions;

import java.util.Locale;
import java.util.UUID;

/** One requested rendition of an asset and how far it got; {@code error*} are set only in status ERROR. */
public record Rendition(UUID assetId, RenditionKind kind, Status status, String errorCode, String errorMessage) {

    public enum Status {
        PENDING, PROCESSING, READY, ERROR;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }
}
