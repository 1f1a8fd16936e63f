package io.tonearm.pipeline.catalog.scan;

/** What a listing remembers of a path: a file whose size and modification time are unchanged is not emitted again. */
record FileVersion(long sizeBytes, long modifiedAt) {
}
