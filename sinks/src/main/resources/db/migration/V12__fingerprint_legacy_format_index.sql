-- Fingerprint version 2 (landmark format wang-landmarks-v2, picked on the standard spectrum) replaces version 1 for
-- new recordings; recordings indexed in version 1 keep their landmarks until they are analysed again (docs/analysis.md,
-- "Identification"). Their hashes are marked apart, so one index holds both, and identify queries the caller's
-- version-1 recordings with the query's version-1 landmarks while there are any. This partial index answers "does
-- this account still hold version-1 recordings?" from those rows alone; it empties as they are re-indexed or expire.
CREATE INDEX fingerprint_recordings_v1 ON fingerprint_recordings (sha256) WHERE format = 'wang-landmarks-v1';
