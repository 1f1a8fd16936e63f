package io.tonearm.api.assets;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Filters and position of an asset listing.
 *
 * @param assetIds   only these ids (empty: any)
 * @param fileTypes  only these file types ({@code audio}, {@code video}, {@code other}; empty: any)
 * @param filename   case-insensitive substring of the file name, null for any
 * @param isrc       exact ISRC (normalised), null for any
 * @param metadata   metadata key-values that must all match exactly
 * @param limit      page size
 * @param page       1-based page number (offset pagination), used when {@code cursor} is null
 * @param cursor     keyset position, null for the first page
 */
record AssetQuery(List<UUID> assetIds, List<String> fileTypes, String filename, String isrc,
                  Map<String, String> metadata, int limit, int page, PageCursor cursor) {
}
