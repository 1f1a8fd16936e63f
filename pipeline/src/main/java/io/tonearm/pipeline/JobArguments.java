package io.tonearm.pipeline;

import io.tonearm.sinks.blobs.BlobStores;

/** The jobs' {@code main} arguments: positional, where an empty or absent optional one means "not given". */
public final class JobArguments {

    private JobArguments() {
    }

    /** Argument {@code i}, or null when it is absent or empty (a password passed as "" by a manifest). */
    public static String optional(String[] args, int i) {
        return args.length > i && !args[i].isEmpty() ? args[i] : null;
    }

    /**
     * Argument {@code i} naming the blob store, or, when it is empty or absent, {@code TONEARM_BLOB_STORE} from the
     * environment (so a cluster sets the location once, for the API and the jobs alike); null when neither is set.
     */
    public static String blobStore(String[] args, int i) {
        String given = optional(args, i);
        if (given != null) return given;
        String env = System.getenv(BlobStores.LOCATION_ENV);
        return env == null || env.isBlank() ? null : env.strip();
    }
}
