package io.tonearm.api.renditions;

import java.util.Locale;

/** What can be rendered from an asset, each asked for by its own flag on upload. */
public enum RenditionKind {
    /** A waveform PNG ({@code enable_thumbnail}). */
    THUMBNAIL("enable_thumbnail"),
    /** An HLS playlist with AAC segments ({@code enable_hls}). */
    HLS("enable_hls");

    private final String flag;

    RenditionKind(String flag) {
        this.flag = flag;
    }

    /** The name in the API and in the database. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The upload parameter that asks for it. */
    public String flag() {
        return flag;
    }

    static RenditionKind of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
