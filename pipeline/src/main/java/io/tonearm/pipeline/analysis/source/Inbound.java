package io.tonearm.pipeline.analysis.source;

import io.tonearm.events.AnalysisRequested;
import io.tonearm.events.AssetEvent;
import io.tonearm.events.EventCodec;

import java.util.Objects;

/**
 * An event entering the analysis job, in its wire form (the {@link EventCodec} JSON, which carries its own schema
 * version). Both topics share this type so they can be unioned and keyed by recording; a plain record of basic
 * types, so Flink serializes it without Kryo.
 *
 * @param sha256 the recording (lower-case hex), the key
 */
public record Inbound(Kind kind, String sha256, String json) {

    public enum Kind { ASSET, REQUEST }

    public Inbound {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(json, "json");
    }

    public static Inbound of(AssetEvent e) {
        return new Inbound(Kind.ASSET, e.sha256(), EventCodec.encodeToString(e));
    }

    public static Inbound of(AnalysisRequested r) {
        return new Inbound(Kind.REQUEST, r.sha256(), EventCodec.encodeToString(r));
    }
}
